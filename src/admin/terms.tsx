// The admin center's terms of use page.
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';

export function termsRoutes(services: Services, guard: AdminGuard) {
  void services; void guard;
  return new Hono<AdminEnv>();
}
