/**
 * What went wrong on the SSH level, as types the editor can act on: an unknown host key is a
 * question to the user, a changed one is an alarm, the rest are connection problems with a fix.
 */

export class SshError extends Error {
	constructor(message: string, readonly host: string, readonly stderr = '') {
		super(message);
		this.name = new.target.name;
	}
}

/** The host is not in known_hosts. Ask the user; never accept it silently. */
export class UnknownHostKeyError extends SshError {
	constructor(host: string, stderr: string) {
		super(`host key for ${host} is not known: run \`ssh ${host}\` once to check and accept it`, host, stderr);
	}
}

/** The host presented a different key than known_hosts holds: possibly an attack, never bypassed. */
export class ChangedHostKeyError extends SshError {
	constructor(host: string, stderr: string) {
		super(`host key for ${host} has CHANGED since it was recorded in known_hosts. This can be a man-in-the-middle attack; ` +
			'if the host was really reinstalled, remove the old key with `ssh-keygen -R HOST` and check the new one.', host, stderr);
	}
}

/** Connected, but no key or agent identity was accepted (BatchMode never asks for a password). */
export class SshAuthError extends SshError {
	constructor(host: string, stderr: string) {
		super(`${host} refused the login: load the key into your agent (\`ssh-add\`) or set IdentityFile for it in ~/.ssh/config; ` +
			'password prompts are off because nobody can answer them here', host, stderr);
	}
}

/** Could not reach the host (name, network, port, proxy) or the connection dropped. */
export class SshConnectionError extends SshError {}

/** The command ran past its time limit and was stopped. */
export class SshTimeoutError extends SshError {}

/** Turns ssh's exit status 255 and its stderr into the matching error. */
export function sshFailure(host: string, stderr: string): SshError {
	const text = stderr.trim();
	if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(text)) {
		return new ChangedHostKeyError(host, text);
	}
	if (/No \S+ host key is known for|Host key verification failed/.test(text)) {
		return new UnknownHostKeyError(host, text);
	}
	if (/Permission denied|Too many authentication failures/.test(text)) {
		return new SshAuthError(host, text);
	}
	const line = text.split('\n').filter((l) => l.trim() !== '').at(-1) ?? 'ssh failed with no message';
	return new SshConnectionError(`cannot reach ${host}: ${line}`, host, text);
}
