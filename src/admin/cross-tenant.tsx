// The admin center's cross-tenant access page.
import { Hono } from 'hono';
import type { Services } from '../services.ts';
import type { AdminEnv, AdminGuard } from './guard.tsx';

export function crossTenantRoutes(services: Services, guard: AdminGuard) {
  void services; void guard;
  return new Hono<AdminEnv>();
}
