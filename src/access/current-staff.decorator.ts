import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { StaffPrincipal } from './staff-principal.js';

export interface AuthenticatedRequest {
  staff?: StaffPrincipal;
  sessionToken?: string;
}

export const CurrentStaff = createParamDecorator(
  (_: unknown, context: ExecutionContext): StaffPrincipal => context.switchToHttp().getRequest<AuthenticatedRequest>().staff!,
);
