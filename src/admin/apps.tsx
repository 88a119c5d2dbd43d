// The admin center's apps pages.
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';

export function appsRoutes(services: Services, guard: AdminGuard) {
  void services; void guard;
  return new Hono<AdminEnv>();
}
