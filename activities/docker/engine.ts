// The Docker engine client (dockerode), from DOCKER_HOST or the local socket, and the error shapes
// we branch on. dockerode errors carry the engine's HTTP status in `statusCode`.
import Docker from 'dockerode';
import { ApplicationFailure } from '@temporalio/activity';

export function createDockerClient(dockerHost?: string): Docker {
  if (!dockerHost) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (dockerHost.startsWith('unix://')) return new Docker({ socketPath: dockerHost.slice('unix://'.length) });
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: url.protocol === 'https:' ? 'https' : 'http' });
}

const status = (err: unknown) => (err as { statusCode?: number }).statusCode;
export const isNotFound = (err: unknown) => status(err) === 404;
export const isConflict = (err: unknown) => status(err) === 409;
export const isNotModified = (err: unknown) => status(err) === 304;

/** Resolves to undefined when the object does not exist. */
export async function inspectOrUndefined<T>(inspect: () => Promise<T>): Promise<T | undefined> {
  try {
    return await inspect();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A clear error when no engine answers; retryable, since the engine may be restarting. */
export async function assertEngineReachable(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') {
      throw ApplicationFailure.retryable(`no Docker engine answers (${code}); start dockerd or set DOCKER_HOST`, 'DockerUnavailable');
    }
    throw err;
  }
}
