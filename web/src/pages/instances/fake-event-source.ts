// Test double of the browser's EventSource (jsdom has none): tests push the server's events by hand.
import { eventSourceFactory } from './useInstanceEvents';

export class FakeEventSource extends EventTarget {
  static last: FakeEventSource | undefined;
  readyState = 0;
  closed = false;
  constructor(readonly url: string) {
    super();
    FakeEventSource.last = this;
  }
  /** Delivers one server-sent event of `type` with a JSON body. */
  emit(type: string, data: unknown) {
    this.readyState = 1;
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

/** Makes the console use FakeEventSource; returns the undo. */
export function installFakeEventSource(): () => void {
  const previous = eventSourceFactory.create;
  eventSourceFactory.create = (url) => new FakeEventSource(url) as unknown as EventSource;
  return () => {
    eventSourceFactory.create = previous;
    FakeEventSource.last = undefined;
  };
}
