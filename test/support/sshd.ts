/**
 * A real OpenSSH server on 127.0.0.1 for the training tests: its own host key, authorized key,
 * client config and known_hosts in a temp folder, so neither this machine's sshd nor the user's
 * ~/.ssh is touched. The "remote host" is this machine, reached through a real SSH connection.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import type { SshTarget } from '../../server/src/core/train/ssh';
import { tempDir } from './fixtures';

const SSHD = '/usr/sbin/sshd';
/** sshd refuses to start without its privilege separation folder. */
const PRIVSEP_DIR = '/run/sshd';

export interface TestSshd {
	/** The alias in `target.configFile` that points at the server. */
	target: SshTarget;
	/** Scratch folder for the test: keys, config, and the "remote" files. */
	dir: string;
	/** `[127.0.0.1]:PORT ssh-ed25519 AAAA…`, the line known_hosts holds for the server. */
	knownHostsLine: string;
	/** `SHA256:…` of the host key, as `ssh-keygen -l` prints it (what a user compares before trusting). */
	fingerprint: string;
	stop(): void;
}

/** Starts the server, or says why this machine cannot (the tests then skip with that reason). */
export async function startSshd(): Promise<TestSshd | string> {
	if (!fs.existsSync(SSHD)) return `${SSHD} is missing (install openssh-server)`;
	if (!onPath('ssh') || !onPath('ssh-keygen')) return 'the OpenSSH client (ssh, ssh-keygen) is missing';
	if (process.platform === 'win32') return 'sshd tests run on Linux and macOS only';
	try {
		fs.mkdirSync(PRIVSEP_DIR, { recursive: true });
	} catch {
		return `${PRIVSEP_DIR} is missing and cannot be created without root`;
	}
	const dir = tempDir('tracemint-sshd-');
	const file = (name: string) => path.join(dir, name);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('host_key')]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('client_key')]);
	fs.copyFileSync(file('client_key.pub'), file('authorized_keys'));
	fs.chmodSync(file('authorized_keys'), 0o600);
	const port = await freePort();
	fs.writeFileSync(file('sshd_config'), [
		`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${file('host_key')}`, `AuthorizedKeysFile ${file('authorized_keys')}`,
		'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password',
		// The temp folder is world-writable (1777), which StrictModes rejects; PAM needs a system service entry.
		'UsePAM no', 'StrictModes no', `PidFile ${file('sshd.pid')}`, '',
	].join('\n'));
	try {
		execFileSync(SSHD, ['-t', '-f', file('sshd_config')], { stdio: 'pipe' });
	} catch (error) {
		return `sshd rejects its test config: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
	}
	const knownHostsLine = `[127.0.0.1]:${port} ${fs.readFileSync(file('host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}`;
	fs.writeFileSync(file('known_hosts'), `${knownHostsLine}\n`);
	fs.writeFileSync(file('ssh_config'), [
		'Host tracemint-test',
		'  HostName 127.0.0.1', `  Port ${port}`, `  User ${os.userInfo().username}`,
		`  IdentityFile ${file('client_key')}`, '  IdentitiesOnly yes', '  IdentityAgent none',
		`  UserKnownHostsFile ${file('known_hosts')}`, '  GlobalKnownHostsFile /dev/null', '',
	].join('\n'));
	const log = fs.openSync(file('sshd.log'), 'a');
	const server: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', file('sshd_config')], { stdio: ['ignore', log, log] });
	const stop = () => {
		if (server.exitCode === null) server.kill('SIGTERM');
	};
	process.on('exit', stop);
	if (!await listening(port, server)) {
		stop();
		return `sshd did not start: ${fs.readFileSync(file('sshd.log'), 'utf8').trim().split('\n').at(-1) ?? 'no log'}`;
	}
	const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file('host_key.pub')], { encoding: 'utf8' }).split(' ')[1];
	return { target: { host: 'tracemint-test', configFile: file('ssh_config') }, dir, knownHostsLine, fingerprint, stop };
}

function onPath(command: string): boolean {
	return (process.env.PATH ?? '').split(path.delimiter).some((d) => d !== '' && fs.existsSync(path.join(d, command)));
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

async function listening(port: number, server: ChildProcess): Promise<boolean> {
	for (let attempt = 0; attempt < 50 && server.exitCode === null; attempt++) {
		const open = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
			socket.once('error', () => resolve(false));
		});
		if (open) return true;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return false;
}

/** The started server, or the test is skipped with the reason it could not start. */
export function serverOrSkip(sshd: TestSshd | string, t: TestContext): TestSshd | undefined {
	if (typeof sshd === 'string') {
		t.skip(`no test sshd: ${sshd}`);
		return undefined;
	}
	return sshd;
}

/** A minimal export version folder to train on: manifest plus trl_messages train (3 rows) and validation (1 row). */
export function writeTrainDataset(workspace: string, name: string, version: number): string {
	const dir = path.join(workspace, '.tracemint', 'datasets', name, `v${version}`);
	fs.mkdirSync(path.join(dir, 'trl_messages'), { recursive: true });
	const row = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
	fs.writeFileSync(path.join(dir, 'trl_messages', 'train.jsonl'), `${[row('Fix add()', 'Done.'), row('Run tests', '12 pass.'), row('Explain rebase', 'It replays commits.')].join('\n')}\n`);
	fs.writeFileSync(path.join(dir, 'trl_messages', 'validation.jsonl'), `${row('Count lines', 'wc -l')}\n`);
	fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ name, version, options: { formats: ['trl_messages'] }, files: [] }));
	return dir;
}
