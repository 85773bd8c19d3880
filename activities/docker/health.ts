import type Docker from 'dockerode';
import type { ServiceHealth } from '../providers/contract';

/** The Docker engine answers and says what it runs. */
export async function dockerEngineHealth(docker: Docker): Promise<ServiceHealth> {
  try {
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    return { ok: true, detail: `engine ${version.Version}, ${info.ContainersRunning} container(s) running` };
  } catch (err) {
    return { ok: false, detail: `no Docker engine answers: ${(err as Error).message}` };
  }
}
