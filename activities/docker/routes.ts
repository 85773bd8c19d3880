// Subdomain routes of running apps: one nginx server block per app in the proxy's routes directory,
// then a reload (SIGHUP to the master). Publishing the same route twice rewrites the same file, so
// it is idempotent; unpublishing a missing route is a no-op.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPid } from '../../lib/app-proxy';

export interface RouteTable {
  publish(host: string, upstream: string): Promise<void>;
  unpublish(host: string): Promise<void>;
  has(host: string): boolean;
}

export function nginxRoutes(opts: { dir: string; port: number }): RouteTable {
  const file = (host: string) => join(opts.dir, 'routes', `${host}.conf`);
  const reload = () => {
    const pid = readPid(join(opts.dir, 'nginx.pid'));
    if (!pid) throw new Error(`the app proxy (nginx) is not running in ${opts.dir}; npm start runs it`);
    process.kill(pid, 'SIGHUP');
  };
  return {
    async publish(host, upstream) {
      if (!/^[a-z0-9.-]+$/.test(host) || !/^[0-9a-z.:-]+$/.test(upstream)) throw new Error(`refusing route ${host} -> ${upstream}`);
      const conf = `server {
  listen 127.0.0.1:${opts.port};
  server_name ${host};
  location / {
    proxy_pass http://${upstream};
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
  }
}
`;
      const target = file(host);
      if (existsSync(target) && readFileSync(target, 'utf8') === conf) return;
      writeFileSync(`${target}.tmp`, conf);
      renameSync(`${target}.tmp`, target);
      reload();
    },
    async unpublish(host) {
      if (!existsSync(file(host))) return;
      rmSync(file(host));
      reload();
    },
    has: (host) => existsSync(file(host)),
  };
}
