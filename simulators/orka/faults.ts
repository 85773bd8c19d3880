// Injected failures, set through the simulator handle (never over HTTP): the next N requests fail
// like an overloaded API server or a proxy in front of it would, or a deploy's response is lost
// after the VM was created (the connection drops).
export interface FailureSpec {
  status?: number;
  /** A proxy's HTML error page instead of a JSON Status. */
  nonJson?: boolean;
  /** Only requests this predicate accepts count (default: every request). */
  match?: (method: string, path: string) => boolean;
}

export class FaultPlan {
  private failures: { remaining: number; spec: FailureSpec }[] = [];
  private lostDeploys = 0;

  failNext(count: number, spec: FailureSpec = {}): void {
    this.failures.push({ remaining: count, spec });
  }

  /** The failure to answer this request with, if one is planned. */
  take(method: string, path: string): Required<Omit<FailureSpec, 'match'>> | undefined {
    const f = this.failures.find((x) => x.remaining > 0 && (!x.spec.match || x.spec.match(method, path)));
    if (!f) return undefined;
    f.remaining--;
    this.failures = this.failures.filter((x) => x.remaining > 0);
    return { status: f.spec.status ?? 500, nonJson: f.spec.nonJson ?? false };
  }

  loseNextDeployResponses(count = 1): void {
    this.lostDeploys += count;
  }

  takeLostDeploy(): boolean {
    if (this.lostDeploys === 0) return false;
    this.lostDeploys--;
    return true;
  }

  clear(): void {
    this.failures = [];
    this.lostDeploys = 0;
  }
}
