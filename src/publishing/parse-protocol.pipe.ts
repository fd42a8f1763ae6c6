import { Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidInputError } from '../common/domain-errors.js';
import { PROTOCOLS, type Protocol } from '../common/protocol.js';

/** A path segment naming a network: `activitypub` or `atproto`, else a clear 400. */
@Injectable()
export class ParseProtocolPipe implements PipeTransform<string, Protocol> {
  transform(value: string): Protocol {
    if ((PROTOCOLS as readonly string[]).includes(value)) return value as Protocol;
    throw new InvalidInputError(`protocol must be one of ${PROTOCOLS.join(', ')}`, 'protocol');
  }
}
