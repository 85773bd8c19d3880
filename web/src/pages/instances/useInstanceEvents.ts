// An instance's live event stream (GET /api/instances/{id}/events, Server-Sent Events): the log so far
// and every phase, progress and log event as it happens. Each event updates the cached instance, so the
// whole page follows along. EventSource resumes by itself with Last-Event-ID after a dropped
// connection; the stream ends (event `end`) once the instance is destroyed, failed or cancelled.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { $api } from '../../api/client';
import type { Instance, InstanceEvent } from '../../api/types';

/** Where the console finds EventSource; tests replace it (jsdom has none). */
export const eventSourceFactory: { create: ((url: string) => EventSource) | null } = {
  create: typeof EventSource === 'undefined' ? null : (url) => new EventSource(url, { withCredentials: true }),
};

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'unavailable';

/** The cache key of GET /instances/{id}, the one InstanceDetail reads. */
export const instanceQuery = (instanceId: string) => $api.queryOptions('get', '/instances/{instanceId}', { params: { path: { instanceId } } });

const MAX_LINES = 500;

/** `restart()` reopens an ended stream (a failed instance being destroyed has a new run to follow). */
export function useInstanceEvents(instanceId: string): { events: InstanceEvent[]; status: StreamStatus; restart: () => void } {
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<InstanceEvent[]>([]);
  const [status, setStatus] = useState<StreamStatus>(eventSourceFactory.create ? 'connecting' : 'unavailable');
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const create = eventSourceFactory.create;
    if (!create) return;
    setEvents([]);
    setStatus('connecting');
    const { queryKey } = instanceQuery(instanceId);
    const source = create(`${window.location.origin}/api/instances/${encodeURIComponent(instanceId)}/events`);
    const parse = <T>(e: Event): T | undefined => {
      try {
        return JSON.parse((e as MessageEvent<string>).data) as T;
      } catch {
        return undefined;
      }
    };
    const onEvent = (e: Event) => {
      const event = parse<InstanceEvent>(e);
      if (!event) return;
      setEvents((all) => (all.some((x) => x.id === event.id) ? all : [...all, event].slice(-MAX_LINES)));
      // The event says what changed; the instance's own answer says what that means now (endpoint,
      // actions), so phase changes refetch it and progress patches it in place.
      if (event.phase) void queryClient.invalidateQueries({ queryKey });
      else if (event.progress !== null || event.step !== null) {
        queryClient.setQueryData<Instance>(queryKey, (old) => (old ? { ...old, progress: event.progress ?? old.progress, currentStep: event.step ?? old.currentStep } : old));
      }
    };
    source.addEventListener('state', (e) => {
      const snapshot = parse<Instance>(e);
      if (snapshot) queryClient.setQueryData(queryKey, snapshot);
      setStatus('live');
    });
    for (const type of ['phase', 'progress', 'log']) source.addEventListener(type, onEvent);
    source.addEventListener('end', () => {
      source.close();
      setStatus('ended');
      void queryClient.invalidateQueries({ queryKey });
    });
    source.addEventListener('open', () => setStatus('live'));
    source.addEventListener('error', () => {
      // CLOSED: the browser gave up (e.g. 404); CONNECTING: it retries with Last-Event-ID.
      setStatus(source.readyState === 2 ? 'unavailable' : 'reconnecting');
    });
    return () => source.close();
  }, [instanceId, queryClient, generation]);

  return { events, status, restart: () => setGeneration((g) => g + 1) };
}
