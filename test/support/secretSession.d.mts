export interface FakeCredentials {
	githubPat: string;
	awsAccessKeyId: string;
	dbPassword: string;
	privateKeyBody: string;
}

export interface SecretSessions {
	credentials: FakeCredentials;
	/** The workspace `.env` the agent read. */
	envPath: string;
	/** Import this folder to get both sessions. */
	logsDir: string;
	envSession: { id: string; file: string };
	keySession: { id: string; file: string };
}

export function fakeCredentials(): FakeCredentials;
export function writeSecretSessions(workspace: string, logsDir: string): SecretSessions;
