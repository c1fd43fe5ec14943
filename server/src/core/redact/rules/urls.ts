import type { Rule } from './types';

/**
 * Hosts whose credentials are local development defaults (`postgres:postgres@localhost`) or a stand-in host name.
 * Documentation domains (example.com) are not on the list: people share real passwords after swapping only the host.
 */
const LOCAL_HOST = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[::1\]|host|hostname|server)(?::\d{1,5})?$/i;

/** The host that follows `user:password@` in a URL, read from the original text. */
function hostAfter(text: string, end: number): string {
	const m = /^@([^\s/?#"'\\]{1,255})/.exec(text.slice(end, end + 260));
	return m ? m[1] : '';
}

const notLocal = (value: string, text: string, start: number): boolean => !LOCAL_HOST.test(hostAfter(text, start + value.length));

/** Credentials carried in URLs, connection strings and HTTP headers. */
export const urlRules: readonly Rule[] = [
	{
		id: 'database-url-password', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', priority: 3,
		description: 'Password inside a database connection URI (postgres, mysql, mongodb(+srv), redis, amqp, mssql...).',
		// Each scheme where the pattern needs it: before `://` or a `+driver` suffix.
		keywords: ['postgres', 'postgresql', 'mysql', 'mysqlx', 'mariadb', 'mongodb', 'redis', 'rediss', 'amqp', 'amqps', 'mssql', 'sqlserver', 'cockroachdb', 'clickhouse', 'neo4j', 'couchdb']
			.flatMap((scheme) => [`${scheme}://`, `${scheme}+`]),
		anchor: { literal: '://', min: 4, max: 36 },
		prefilter: (text) => text.includes('@'),
		pattern: /\b(?:postgres(?:ql)?|mysqlx?|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse|neo4j(?:\+s)?|couchdb|jdbc:(?:mysql|postgresql|mariadb))(?:\+[\w]{1,20})?:\/\/[^\s:/@"'\\]{0,128}:([^\s@/"'\\]{1,256})@/gi,
		validate: notLocal,
	},
	{
		id: 'url-basic-auth', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', priority: 2,
		description: 'user:password embedded in a URL (http, https, ftp, git, ssh...).',
		keywords: ['://'],
		anchor: { literal: '://', min: 2, max: 5 },
		prefilter: (text) => text.includes('@'),
		pattern: /\b(?:https?|ftps?|sftp|ssh|git|svn|wss?|smtps?|imaps?|ldaps?):\/\/[^\s:/@"'\\]{1,128}:([^\s@/"'\\]{4,256})@/gi,
		validate: notLocal,
	},
	{
		id: 'authorization-header', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 2.5,
		description: 'Credential in an Authorization header or a -H/--header token/api-key header (curl, HTTP logs, fetch options).',
		keywords: ['authorization', 'bearer', '-h ', '-h\t', '--header ', '--header\t'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?:authorization\\?["']?[ \t]{0,3}[:=][ \t]{0,3}\\?["']?|(?:-H|--header)[ \t]{1,3}\\?["']?[\w-]{0,30}(?:token|api-?key|auth)[\w-]{0,20}[ \t]{0,2}:)[ \t]{0,3}(?:(?:bearer|basic|token|bot|api-token|digest)[ \t]{1,3})?([\w.~+/=@-]{8,4000})|\bbearer[ \t]{1,3}([\w.~+/=-]{16,4000})/gi,
	},
	{
		id: 'curl-user-password', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Password given to curl with -u/--user user:password (quoted or not), or a token passed as the user with an empty password ("token:").',
		keywords: ['curl'],
		keywordAt: { min: 0, max: 0 },
		pattern: new RegExp(String.raw`\bcurl\b[^\n]{0,400}?(?:\\\r?\n[^\n]{0,400}?){0,6}\s(?:-u|--user)(?:=|[ \t]{1,3})(?:` + [
			// "user:password" or ':password' in one pair of quotes
			String.raw`\\?["'][^"'\s:]{0,64}:([^"'\s\\]{4,128})\\?["']`,
			// "user":"password"
			String.raw`\\?["'][^"'\s:]{1,64}\\?["']:\\?["']([^"'\s\\]{4,128})\\?["']`,
			// user:password, the password optionally quoted
			String.raw`[^\s:"'\\]{1,64}:\\?["']?([^\s"'\\<>]{4,128})`,
			// "token:" (API tokens sent as the user name)
			String.raw`\\?["']([^"'\s:\\]{8,128}):\\?["']`,
		].join('|') + ')', 'g'),
		validate: (value) => !/^[$%]/.test(value) && !/[$%]\{|\$\(/.test(value),
	},
	{
		id: 'url-credential-param', kind: 'secret', severity: 'high', action: 'redact', filters: 'generic', entropy: 3.5,
		description: 'Credential passed as a URL query parameter (access_token=, api_key=, client_secret=, password=...).',
		keywords: ['token=', 'key=', 'secret=', 'password=', 'passwd=', 'sig='],
		pattern: /[?&](?:access_token|auth_token|api_?key|apikey|client_secret|secret|token|password|passwd|private_token|key)=([^&\s"'#\\<>]{16,500})/gi,
	},
];
