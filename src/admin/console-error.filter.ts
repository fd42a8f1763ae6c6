import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../access/current-staff.decorator.js';
import { DomainError, UnauthenticatedError } from '../common/domain-errors.js';
import { consoleErrorView } from './views/profiles.view.js';

/** Console pages: no session → the login page; other errors → an HTML page. */
@Catch()
export class ConsoleErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Console');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (exception instanceof UnauthenticatedError) {
      response.redirect(303, `/admin/login?next=${encodeURIComponent(request.originalUrl)}`);
      return;
    }
    const status = exception instanceof DomainError ? exception.status : exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const message = status < 500 && exception instanceof Error ? exception.message : 'Something went wrong; please try again.';
    response
      .status(status)
      .type('html')
      .send(consoleErrorView(request.staff, status, message));
  }
}
