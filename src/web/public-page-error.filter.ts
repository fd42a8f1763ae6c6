import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../common/domain-errors.js';
import { errorView } from './views/home.view.js';

/** Public pages answer errors with an HTML page, not the API's JSON. */
@Catch()
export class PublicPageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('PublicPages');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    if (response.headersSent) return;
    const status = exception instanceof DomainError ? exception.status : exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const message =
      status === 404
        ? 'There is nothing at this address.'
        : status < 500 && exception instanceof Error
          ? exception.message
          : 'Please try again later.';
    // A visitor's mistake on a profile's page (e.g. the follow box) leads back to that profile.
    const profilePath = /^\/@[^/?#]+/.exec(request.path)?.[0];
    response
      .status(status)
      .type('html')
      .send(errorView(status, message, status >= 400 && status < 500 && status !== 404 ? profilePath : undefined));
  }
}
