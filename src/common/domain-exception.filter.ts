import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, TooManyRequestsError } from './domain-errors.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: Record<string, string[]>;
  retryAfterSeconds?: number;
}

/** The one place that turns errors into HTTP answers. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const body = this.toBody(exception);
    if (exception instanceof TooManyRequestsError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        error: exception.name,
        message: exception.message,
        ...(exception.field ? { fields: { [exception.field]: [exception.message] } } : {}),
        ...(exception instanceof TooManyRequestsError ? { retryAfterSeconds: exception.retryAfterSeconds } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null) {
        const { message, fields } = payload as { message?: string | string[]; fields?: Record<string, string[]> };
        return {
          statusCode: status,
          error: exception.name,
          message: Array.isArray(message) ? message.join('; ') : (message ?? exception.message),
          ...(fields ? { fields } : {}),
        };
      }
      return { statusCode: status, error: exception.name, message: String(payload) };
    }
    return { statusCode: 500, error: 'InternalServerError', message: 'Internal server error' };
  }
}
