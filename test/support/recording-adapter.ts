import type { Protocol } from '../../src/common/protocol.js';
import {
  AdapterError,
  type FailureClass,
  type ProtocolAdapter,
  type PublicationRef,
  type PublishRequest,
} from '../../src/publishing/protocol-adapter.js';

/**
 * An adapter that records what the publishing pipeline asked of it. It tests
 * the pipeline (queue, runner, sweep, retries), never a protocol: the real
 * adapters have their own end-to-end tests against real peers.
 */
export class RecordingAdapter implements ProtocolAdapter {
  readonly calls: Array<{ action: string; postId: string; text: string; remoteRefs: Record<string, unknown> }> = [];
  /** Failures to throw on the next calls, in order. */
  readonly failures: FailureClass[] = [];

  constructor(readonly protocol: Protocol) {}

  async syncProfile(): Promise<void> {}

  async reserve(request: PublishRequest): Promise<Record<string, unknown>> {
    return { key: `reserved-${request.post.id}` };
  }

  async publish(request: PublishRequest): Promise<PublicationRef> {
    this.record('publish', request);
    return { remoteId: `${this.protocol}:${request.publication.remoteRefs.key}` };
  }

  async update(request: PublishRequest): Promise<PublicationRef> {
    this.record('update', request);
    return { remoteId: request.publication.remoteId! };
  }

  async retract(request: PublishRequest): Promise<void> {
    this.record('retract', request);
  }

  private record(action: string, request: PublishRequest): void {
    const failure = this.failures.shift();
    if (failure) throw new AdapterError(`${failure} failure on ${action}`, failure);
    this.calls.push({ action, postId: request.post.id, text: request.post.text, remoteRefs: request.publication.remoteRefs });
  }
}
