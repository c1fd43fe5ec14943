/**
 * The key a host presents, read without trusting it: for the unknown-host question, which must
 * show the user the fingerprint to compare (as `ssh` does in a terminal) before anything is
 * recorded. The probe connects with the user's own client and config (ProxyJump, ports, aliases
 * apply), records the key only in a throw-away known_hosts file, and offers no credential
 * (`PreferredAuthentications=none`), so it logs in nowhere.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { optionPath, SshClient, type SshTarget } from './ssh';
import { SshConnectionError, SshTimeoutError } from './sshErrors';

export interface HostKey {
	/** `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`… */
	keyType: string;
	/** `SHA256:` and the unpadded base64 of the key blob's SHA-256, as `ssh-keygen -l` and `ssh` print it. */
	fingerprint: string;
}

/** The fingerprint of a public key blob (the base64 field of a known_hosts or .pub line). */
export function sha256Fingerprint(base64Key: string): string {
	const digest = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('base64');
	return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The first key line of a known_hosts text (`hosts type base64 [comment]`; `@marker` lines and comments skipped). */
export function hostKeyFromKnownHosts(text: string): HostKey | undefined {
	for (const line of text.split('\n')) {
		const fields = line.trim().split(/\s+/);
		if (fields.length < 3 || fields[0].startsWith('#') || fields[0].startsWith('@')) continue;
		if (!/^[A-Za-z0-9+/]+=*$/.test(fields[2])) continue;
		return { keyType: fields[1], fingerprint: sha256Fingerprint(fields[2]) };
	}
	return undefined;
}

/**
 * Connects once and returns the host's key. Throws SshConnectionError when the host cannot be
 * reached (or presents no key), SshTimeoutError when it does not answer in time.
 */
export async function probeHostKey(target: SshTarget, options: { sshBinary?: string; timeoutMs?: number } = {}): Promise<HostKey> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tm-hostkey-'));
	const file = path.join(dir, 'known_hosts');
	try {
		// The target's own known_hosts is left out so the key lands in the throw-away file; options
		// given here come first on the command line, so they win over the user's config.
		const client = new SshClient({ ...target, knownHostsFile: undefined, acceptNewHostKey: true }, { multiplex: false });
		const args = client.sshArgs([
			'-o', `UserKnownHostsFile=${optionPath(file)}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'HashKnownHosts=no',
			'-o', 'ControlMaster=no', '-o', 'ControlPath=none', '-o', 'PreferredAuthentications=none', '-o', 'LogLevel=ERROR',
		]);
		const stderr = await run(options.sshBinary ?? 'ssh', [...args, 'exit 0'], options.timeoutMs ?? 30_000, target.host);
		const key = fs.existsSync(file) ? hostKeyFromKnownHosts(fs.readFileSync(file, 'utf8')) : undefined;
		if (!key) {
			const last = stderr.trim().split('\n').filter((l) => l.trim() !== '').at(-1) ?? 'no key was presented';
			throw new SshConnectionError(`cannot read the host key of ${target.host}: ${last.trim()}`, target.host, stderr);
		}
		return key;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Runs ssh to its end (its exit status is expected to be 255: no login was offered) and returns its stderr. */
function run(binary: string, args: string[], timeoutMs: number, host: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
		const err: Buffer[] = [];
		child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
		let timedOut = false;
		const timer = setTimeout(() => { timedOut = true; child.kill('SIGTERM'); }, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new SshConnectionError(`${binary} could not run: ${error.message}`, host));
		});
		child.on('close', () => {
			clearTimeout(timer);
			const stderr = Buffer.concat(err).toString('utf8');
			if (timedOut) reject(new SshTimeoutError(`${host}: no answer within ${Math.round(timeoutMs / 1000)} s`, host, stderr));
			else resolve(stderr);
		});
	});
}
