/**
 * The user's own OpenSSH client, run as a child process: it honours ~/.ssh/config, agents,
 * ProxyJump and known_hosts exactly as the user's terminal does. BatchMode is always on (nothing
 * here can answer a prompt) and host keys are always checked. One master connection per client
 * (ControlMaster) makes the many short polls cheap.
 *
 * Remote commands are strings for the remote login shell; build them with remoteShell.ts. Long
 * scripts go over stdin to `sh -s`, so the login shell only ever sees those two words.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sh } from './remoteShell';
import { SshError, SshTimeoutError, sshFailure } from './sshErrors';

export interface SshTarget {
	/** An alias from ~/.ssh/config, or `[user@]host[:port]` (`[v6addr]:port` for IPv6). */
	host: string;
	/** A client config used instead of ~/.ssh/config (`ssh -F`). */
	configFile?: string;
	/** A known_hosts file used instead of the user's. */
	knownHostsFile?: string;
	/** A key to offer (only this one: IdentitiesOnly). */
	identityFile?: string;
	connectTimeoutSeconds?: number;
	/**
	 * Record a host key seen for the first time (`accept-new`). Only for a call made after the user
	 * answered the unknown-host question; a changed key still fails.
	 */
	acceptNewHostKey?: boolean;
}

export interface SshRunOptions {
	/** Bytes or text for the remote command's stdin. */
	input?: string | Buffer;
	/** Default 120 s; 0: no limit. */
	timeoutMs?: number;
}

export interface SshResult {
	code: number;
	stdout: Buffer;
	stderr: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const USER_HOST_PORT = /^(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^@\s:[\]]+)(?::(\d{1,5}))?$/;

/** Splits `user@host:port`; an alias comes back as the host alone. */
export function parseSshHost(spec: string): { destination: string; port?: number } {
	const match = USER_HOST_PORT.exec(spec);
	if (!match || spec.startsWith('-')) {
		throw new Error(`"${spec}" is not a host: use an alias from ~/.ssh/config or user@host:port`);
	}
	const [, user, rawHost, port] = match;
	const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
	return { destination: user ? `${user}@${host}` : host, port: port === undefined ? undefined : Number(port) };
}

/** A local path with `~/` expanded here, so every ssh option gets the same absolute file. */
function localPath(file: string): string {
	return path.resolve(file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file);
}

/** A value for `-o Key=value`: ssh expands `%` tokens in paths and splits on spaces unless quoted. */
export function optionPath(file: string): string {
	return `"${localPath(file).replaceAll('%', '%%')}"`;
}

export class SshClient {
	private controlDir: string | undefined;

	constructor(readonly target: SshTarget, private readonly options: { multiplex?: boolean; sshBinary?: string } = {}) {
		parseSshHost(target.host);
	}

	/** The ssh argv up to and including the destination; `extra` options go before it. */
	sshArgs(extra: readonly string[] = []): string[] {
		const { destination, port } = parseSshHost(this.target.host);
		const args: string[] = [];
		if (this.target.configFile) args.push('-F', localPath(this.target.configFile));
		args.push(
			'-o', 'BatchMode=yes',
			'-o', `StrictHostKeyChecking=${this.target.acceptNewHostKey ? 'accept-new' : 'yes'}`,
			'-o', `ConnectTimeout=${this.target.connectTimeoutSeconds ?? 15}`,
			'-o', 'ServerAliveInterval=15',
			'-o', 'ServerAliveCountMax=4',
		);
		if (this.target.knownHostsFile) args.push('-o', `UserKnownHostsFile=${optionPath(this.target.knownHostsFile)}`);
		if (this.target.identityFile) args.push('-o', `IdentityFile=${optionPath(this.target.identityFile)}`, '-o', 'IdentitiesOnly=yes');
		const control = this.controlPath();
		if (control) args.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${optionPath(control)}`, '-o', 'ControlPersist=60');
		if (port !== undefined) args.push('-p', String(port));
		args.push(...extra, '--', destination);
		return args;
	}

	/** Runs one command line in the remote login shell. Throws SshError when ssh itself failed. */
	async run(command: string, options: SshRunOptions = {}): Promise<SshResult> {
		const child = spawn(this.options.sshBinary ?? 'ssh', [...this.sshArgs(), command], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
		const result = await collect(child, options, this.target.host);
		if (result.code === 255) {
			throw sshFailure(this.target.host, result.stderr);
		}
		return result;
	}

	/** Runs a POSIX sh script sent over stdin; only `sh -s` reaches the login shell. */
	script(script: string, options: Omit<SshRunOptions, 'input'> = {}): Promise<SshResult> {
		return this.run('sh -s', { ...options, input: script });
	}

	/** Like `script`, and a non-zero exit is an error that quotes the script's stderr. */
	async scriptText(script: string, what: string, options: Omit<SshRunOptions, 'input'> = {}): Promise<string> {
		const result = await this.script(script, options);
		if (result.code !== 0) {
			throw new SshError(`${what} failed on ${this.target.host} (exit ${result.code}): ${result.stderr.trim() || 'no message'}`, this.target.host, result.stderr);
		}
		return result.stdout.toString('utf8');
	}

	/** Copies the contents of a local folder into `remoteDir` (created if missing) as one tar stream. */
	async upload(localDir: string, remoteDir: string): Promise<void> {
		const tar = spawn('tar', ['-C', localDir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COPYFILE_DISABLE: '1' }, windowsHide: true });
		const ssh = spawn(this.options.sshBinary ?? 'ssh', [...this.sshArgs(), sh`mkdir -p -- ${remoteDir} && tar --no-same-owner -xf - -C ${remoteDir}`], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
		tar.stdout!.pipe(ssh.stdin!);
		const [packed, sent] = await Promise.all([collect(tar, { timeoutMs: 0, stdoutPiped: true }, 'tar'), collect(ssh, { timeoutMs: 0, stdinPiped: true }, this.target.host)]);
		if (sent.code === 255) throw sshFailure(this.target.host, sent.stderr);
		if (packed.code !== 0) throw new Error(`tar could not pack ${localDir}: ${packed.stderr.trim()}`);
		if (sent.code !== 0) throw new SshError(`upload to ${remoteDir} on ${this.target.host} failed: ${sent.stderr.trim()}`, this.target.host, sent.stderr);
	}

	/** Copies `names` (files or folders) from `remoteDir` into the local folder `localDir`. */
	async download(remoteDir: string, names: readonly string[], localDir: string): Promise<void> {
		fs.mkdirSync(localDir, { recursive: true });
		const ssh = spawn(this.options.sshBinary ?? 'ssh', [...this.sshArgs(), sh`tar -cf - -C ${remoteDir} -- ${names}`], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
		const tar = spawn('tar', ['-C', localDir, '-xf', '-'], { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
		ssh.stdout!.pipe(tar.stdin!);
		const [sent, unpacked] = await Promise.all([collect(ssh, { timeoutMs: 0, stdoutPiped: true }, this.target.host), collect(tar, { timeoutMs: 0, stdinPiped: true }, 'tar')]);
		if (sent.code === 255) throw sshFailure(this.target.host, sent.stderr);
		if (sent.code !== 0) throw new SshError(`download from ${remoteDir} on ${this.target.host} failed: ${sent.stderr.trim()}`, this.target.host, sent.stderr);
		if (unpacked.code !== 0) throw new Error(`tar could not unpack into ${localDir}: ${unpacked.stderr.trim()}`);
	}

	/** Ends the master connection and removes its socket folder. Runs on the host are not affected. */
	async close(): Promise<void> {
		const dir = this.controlDir;
		if (!dir) return;
		if (fs.existsSync(path.join(dir, 'm'))) {
			const exit = spawn(this.options.sshBinary ?? 'ssh', this.sshArgs(['-O', 'exit']), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
			await collect(exit, { timeoutMs: 10_000 }, this.target.host).catch(() => undefined);
		}
		this.controlDir = undefined;
		fs.rmSync(dir, { recursive: true, force: true });
	}

	/** A private (0700) folder per client keeps the socket short (sun_path) and unreadable to others. */
	private controlPath(): string | undefined {
		// Windows' OpenSSH has no connection sharing.
		if (this.options.multiplex === false || process.platform === 'win32') return undefined;
		this.controlDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'tm-ssh-'));
		return path.join(this.controlDir, 'm');
	}
}

/** Waits for a child to exit, with its output (unless piped on to another process); a time limit kills it. */
function collect(child: ChildProcess, options: SshRunOptions & { stdinPiped?: boolean; stdoutPiped?: boolean }, host: string): Promise<SshResult> {
	return new Promise((resolve, reject) => {
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		if (!options.stdoutPiped) child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
		child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
		// A remote side that stops reading early must not crash us with EPIPE.
		child.stdin?.on('error', () => undefined);
		if (child.stdin && !options.stdinPiped) {
			// Nothing more to send: the remote side must not wait for stdin.
			child.stdin.end(options.input);
		}
		const limit = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		let timedOut = false;
		const timer = limit > 0 ? setTimeout(() => { timedOut = true; child.kill('SIGTERM'); }, limit) : undefined;
		child.on('error', (error) => {
			clearTimeout(timer);
			reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? new SshError(`${child.spawnfile} was not found on PATH: training runs through this machine's own OpenSSH client and tar`, host) : error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const stderr = Buffer.concat(err).toString('utf8');
			if (timedOut) {
				reject(new SshTimeoutError(`${host}: no answer within ${Math.round(limit / 1000)} s`, host, stderr));
				return;
			}
			resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out), stderr });
		});
	});
}
