// The admin center's identity provider forms.
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';

export function providersRoutes(services: Services, guard: AdminGuard) {
  void services; void guard;
  return new Hono<AdminEnv>();
}
