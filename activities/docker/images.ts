// App images, built locally: no image registry is reachable, so nothing may pull. The demo app image
// is `FROM scratch` with this machine's own Node binary and the shared libraries it links (found with
// ldd), plus the app bundled into single files by esbuild. The image carries a hash of its inputs as
// a label; `ensureImage` rebuilds only when the inputs change, so concurrent and repeated calls adopt
// the existing image.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Docker from 'dockerode';
import { build } from 'esbuild';
import { projectRoot } from '../../lib/config';
import { inspectOrUndefined } from './engine';

export const APP_UID = 10001;
const DEMO_APP_DIR = join(projectRoot, 'images', 'demo-app');
const DEMO_APP_ENTRIES = ['server', 'tools', 'healthcheck'];

export interface ImageRecipe {
  /** `repository:tag` as the catalogue names it. */
  tag: string;
  /** Hash of everything that goes into the image. */
  sourceHash(): string;
  /** Fills `contextDir` with a Dockerfile and its files. */
  prepareContext(contextDir: string, sourceHash: string): Promise<void>;
}

/** The dynamic libraries a binary needs, as absolute paths (from ldd). */
function sharedLibraries(binary: string): string[] {
  const out = spawnSync('ldd', [binary], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`ldd ${binary} failed: ${out.stderr}`);
  return out.stdout
    .split('\n')
    .map((line) => /(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((p): p is string => Boolean(p));
}

function copyInto(rootfs: string, file: string, as = file) {
  const target = join(rootfs, as);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target); // follows symlinks: the image gets the real library under the linked name
}

export const demoAppRecipe: ImageRecipe = {
  tag: 'tenantry/demo-app:1',
  sourceHash() {
    const h = createHash('sha256');
    for (const e of DEMO_APP_ENTRIES) h.update(readFileSync(join(DEMO_APP_DIR, `${e}.ts`)));
    h.update(process.version);
    h.update(readFileSync(join(projectRoot, 'node_modules', 'pg', 'package.json')));
    h.update(readFileSync(new URL(import.meta.url)));
    return h.digest('hex').slice(0, 16);
  },
  async prepareContext(ctx, sourceHash) {
    const rootfs = join(ctx, 'rootfs');
    copyInto(rootfs, process.execPath, '/usr/local/bin/node');
    for (const lib of sharedLibraries(process.execPath)) copyInto(rootfs, lib);
    await build({
      entryPoints: DEMO_APP_ENTRIES.map((e) => join(DEMO_APP_DIR, `${e}.ts`)),
      outdir: join(rootfs, 'app'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // pg's optional native binding is never used.
      external: ['pg-native'],
      logLevel: 'error',
    });
    mkdirSync(join(rootfs, 'etc'), { recursive: true });
    writeFileSync(join(rootfs, 'etc', 'passwd'), `root:x:0:0:root:/:/sbin/nologin\napp:x:${APP_UID}:${APP_UID}:app:/app:/sbin/nologin\n`);
    writeFileSync(join(rootfs, 'etc', 'group'), `root:x:0:\napp:x:${APP_UID}:\n`);
    mkdirSync(join(rootfs, 'tmp'), { recursive: true });
    chmodSync(join(rootfs, 'tmp'), 0o1777);
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY rootfs/ /',
        `USER ${APP_UID}:${APP_UID}`,
        'ENV PORT=8080 NODE_ENV=production',
        'EXPOSE 8080',
        'HEALTHCHECK --interval=5s --timeout=4s --start-period=3s --retries=3 CMD ["/usr/local/bin/node", "/app/healthcheck.js"]',
        'ENTRYPOINT ["/usr/local/bin/node"]',
        'CMD ["/app/server.js"]',
        `LABEL tenantry.source-hash="${sourceHash}" tenantry.image="demo-app"`,
      ].join('\n'),
    );
  },
};

export const IMAGE_RECIPES: Record<string, ImageRecipe> = { [demoAppRecipe.tag]: demoAppRecipe };

/** Builds the image unless one with the same inputs exists. `progress` is called as the build advances. */
export async function ensureImage(docker: Docker, recipe: ImageRecipe, progress: (note: string) => void = () => undefined): Promise<{ built: boolean }> {
  const hash = recipe.sourceHash();
  const existing = await inspectOrUndefined(() => docker.getImage(recipe.tag).inspect());
  if (existing?.Config?.Labels?.['tenantry.source-hash'] === hash) return { built: false };

  const ctx = mkdtempSync(join(tmpdir(), 'tenantry-image-'));
  try {
    progress(`assembling ${recipe.tag}`);
    await recipe.prepareContext(ctx, hash);
    const tar = spawn('tar', ['-C', ctx, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stream = await docker.buildImage(tar.stdout as unknown as NodeJS.ReadableStream, { t: recipe.tag, rm: true, forcerm: true });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: string }[]) => {
          const failed = output?.find((o) => o.error);
          if (err || failed) reject(new Error(`building ${recipe.tag} failed: ${err?.message ?? failed?.error}`));
          else resolve();
        },
        (event: { stream?: string }) => {
          if (event.stream?.trim()) progress(event.stream.trim());
        },
      );
    });
    return { built: true };
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
