// What "RunShellScript" does on a simulated VM. Nothing is executed on the host: a handful of
// common diagnostics (echo, uptime, uname, df, free, ps, ...) are answered from the VM's simulated
// state, pipes through head/tail/grep work, anything else is "command not found" (exit 127).

export interface GuestFacts {
  computerName: string;
  vcpu: number;
  memoryMb: number;
  bootedAt: number;
  privateIp: string;
  adminUsername: string;
}

export interface ShellResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const OS_RELEASE = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"`;

function words(command: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(command); m; m = re.exec(command)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function uptimeLine(f: GuestFacts): string {
  const now = new Date();
  const minutes = Math.max(1, Math.floor((Date.now() - f.bootedAt) / 60_000));
  const clock = now.toISOString().slice(11, 19);
  return ` ${clock} up ${minutes} min,  1 user,  load average: 0.08, 0.03, 0.01`;
}

type Builtin = (args: string[], stdin: string, f: GuestFacts) => ShellResult;
const ok = (stdout: string): ShellResult => ({ exitCode: 0, stdout, stderr: '' });

const BUILTINS: Record<string, Builtin> = {
  echo: (args) => ok(args.join(' ') + '\n'),
  true: () => ok(''),
  false: () => ({ exitCode: 1, stdout: '', stderr: '' }),
  hostname: (_a, _i, f) => ok(f.computerName + '\n'),
  whoami: () => ok('root\n'),
  date: () => ok(new Date().toUTCString() + '\n'),
  uptime: (_a, _i, f) => ok(uptimeLine(f) + '\n'),
  nproc: (_a, _i, f) => ok(`${f.vcpu}\n`),
  uname: (args, _i, f) =>
    ok((args.includes('-a') ? `Linux ${f.computerName} 6.8.0-1017-azure #20-Ubuntu SMP Tue Oct 22 03:43:13 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux` : args.includes('-r') ? '6.8.0-1017-azure' : 'Linux') + '\n'),
  cat: (args) => {
    const missing = args.filter((a) => a !== '/etc/os-release');
    if (missing.length) return { exitCode: 1, stdout: '', stderr: missing.map((a) => `cat: ${a}: No such file or directory\n`).join('') };
    return ok(OS_RELEASE + '\n');
  },
  free: (_a, _i, f) => {
    const used = Math.round(f.memoryMb * 0.18);
    return ok(
      `               total        used        free      shared  buff/cache   available\n` +
        `Mem:    ${String(f.memoryMb).padStart(12)}${String(used).padStart(12)}${String(f.memoryMb - used - 120).padStart(12)}           4         120${String(f.memoryMb - used).padStart(12)}\n` +
        `Swap:               0           0           0\n`,
    );
  },
  df: () =>
    ok(`Filesystem      Size  Used Avail Use% Mounted on\n/dev/root        29G  2.9G   26G  11% /\n` + `/dev/sda15      105M  6.1M   99M   6% /boot/efi\n`),
  ps: () =>
    ok(
      [
        'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
        'openclaw     812  1.3  4.1 1123456 83412 ?      Ssl  00:01   0:02 node /usr/lib/node_modules/openclaw/dist/index.js',
        'root           1  0.2  0.6 167600 12980 ?        Ss   00:00   0:01 /sbin/init',
        'root         644  0.1  1.9 476720 39220 ?        Ssl  00:00   0:00 /usr/bin/python3 -u /usr/sbin/waagent -run-exthandlers',
        'root         701  0.0  0.3  12020  7876 ?        Ss   00:00   0:00 sshd: /usr/sbin/sshd -D',
        'systemd+     430  0.0  0.3  21456 12160 ?        Ss   00:00   0:00 /usr/lib/systemd/systemd-resolved',
      ].join('\n') + '\n',
    ),
  ip: (_a, _i, f) => ok(`2: eth0    inet ${f.privateIp}/24 brd 10.0.0.255 scope global eth0\n`),
  head: (args, stdin) => ok(takeLines(stdin, lineCount(args), 'head')),
  tail: (args, stdin) => ok(takeLines(stdin, lineCount(args), 'tail')),
  grep: (args, stdin) => {
    const pattern = args.filter((a) => !a.startsWith('-'))[0] ?? '';
    const lines = stdin.split('\n').filter((l) => l && l.includes(pattern));
    return { exitCode: lines.length ? 0 : 1, stdout: lines.map((l) => l + '\n').join(''), stderr: '' };
  },
};

function lineCount(args: string[]): number {
  const i = args.indexOf('-n');
  const n = i >= 0 ? Number(args[i + 1]) : Number((args.find((a) => /^-\d+$/.test(a)) ?? '-10').slice(1));
  return Number.isFinite(n) ? n : 10;
}

function takeLines(text: string, n: number, from: 'head' | 'tail'): string {
  const lines = text.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === ''));
  const picked = from === 'head' ? lines.slice(0, n) : lines.slice(-n);
  return picked.map((l) => l + '\n').join('');
}

function runPipeline(pipeline: string, lineNo: number, facts: GuestFacts): ShellResult {
  let stdin = '';
  let stderr = '';
  let exitCode = 0;
  for (const stage of pipeline.split('|')) {
    const [cmd, ...args] = words(stage.trim());
    if (!cmd) continue;
    const builtin = BUILTINS[cmd];
    if (!builtin) {
      stdin = '';
      stderr += `bash: line ${lineNo}: ${cmd}: command not found\n`;
      exitCode = 127;
      continue;
    }
    const r = builtin(args, stdin, facts);
    stdin = r.stdout;
    stderr += r.stderr;
    exitCode = r.exitCode;
  }
  return { exitCode, stdout: stdin, stderr };
}

export function runShellScript(script: string[], facts: GuestFacts): ShellResult {
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const lines = script.flatMap((s) => s.split('\n'));
  lines.forEach((line, index) => {
    const text = line.trim();
    if (!text || text.startsWith('#') || /^set\s+-/.test(text)) return;
    for (const part of text.split(/;|&&/)) {
      if (!part.trim()) continue;
      const r = runPipeline(part, index + 1, facts);
      stdout += r.stdout;
      stderr += r.stderr;
      exitCode = r.exitCode;
    }
  });
  return { exitCode, stdout, stderr };
}
