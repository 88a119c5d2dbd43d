// The admin center's bulk invitation upload.
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';

export function bulkRoutes(services: Services, guard: AdminGuard) {
  void services; void guard;
  return new Hono<AdminEnv>();
}
