import { NAME_TO_VALUE, nameKeywords, UUID } from './patterns';
import type { Rule } from './types';

/** One line break, raw or JSON-escaped (a backslash and n), and the indentation that follows (spaces, tabs, escaped tabs). */
const NL = String.raw`(?:\r?\n|(?:\\r)?\\n)`;
const INDENT = String.raw`(?:[ \t]|\\t)`;
const KIND_SECRET = /(?:^|[\s"'{,]|\\[nrt])kind\\?"?[ \t]{0,3}:[ \t]{0,3}\\?["']?secret\\?["']?(?![\w-])/i;

/**
 * How far a Secret's data map may reach after its `data:` header (and each side of the manifest read for its kind):
 * far enough for any real manifest, and bounded so the cost per header stays constant and a value's context stays
 * well inside the sliced scanner's 64,000-character overlap.
 */
const MAX_DATA_BLOCK = 32_000;
const MANIFEST_CONTEXT = 4000;

/** The first index at or after `from`, and before `end`, where `needle` starts; -1 when none. Reads no further. */
function indexBefore(text: string, needle: string, from: number, end: number): number {
	if (end <= from) return -1;
	const at = text.slice(from, end + needle.length - 1).indexOf(needle);
	return at === -1 ? -1 : from + at;
}

/** The last index at or before `from`, and at or after `start`, where `needle` starts; -1 when none. */
function lastIndexAfter(text: string, needle: string, start: number, from: number): number {
	const at = text.slice(start, from + needle.length).lastIndexOf(needle);
	return at === -1 ? -1 : start + at;
}

/**
 * Line breaks (raw, or JSON-escaped: a backslash and n) before `end`, asked for at increasing positions: each kind
 * is searched once per stretch, never past `end`.
 */
class LineBreaks {
	private raw = -2;
	private escaped = -2;

	constructor(private readonly text: string, private readonly end: number) {}

	/** Index of the next break at or after `from` and its length; [text length, 0] when none comes before `end`. */
	next(from: number): [number, number] {
		if (this.raw !== -1 && this.raw < from) this.raw = indexBefore(this.text, '\n', from, this.end);
		if (this.escaped !== -1 && this.escaped < from) this.escaped = indexBefore(this.text, '\\n', from, this.end);
		if (this.escaped !== -1 && (this.raw === -1 || this.escaped < this.raw)) return [this.escaped, 2];
		return this.raw === -1 ? [this.text.length, 0] : [this.raw, 1];
	}
}

/** Indentation width of the line starting at `at` (a JSON-escaped tab counts as one) and where its content starts. */
function indentAt(text: string, at: number): [number, number] {
	let width = 0;
	let i = at;
	for (;;) {
		if (text[i] === ' ' || text[i] === '\t' || text[i] === '\r') i++;
		else if (text.startsWith('\\t', i)) i += 2;
		else break;
		width++;
	}
	return [width, i];
}

/**
 * Text of the manifest around [from, to): bounded by `---` document separators and 4000 characters each way (only
 * that far is searched for them).
 */
function manifestAround(text: string, from: number, to: number): string {
	const lo = Math.max(0, from - MANIFEST_CONTEXT);
	const start = Math.max(lo, lastIndexAfter(text, '\n---', lo, from), lastIndexAfter(text, '\\n---', lo, from));
	const hi = Math.min(text.length, to + MANIFEST_CONTEXT);
	const ends = [indexBefore(text, '\n---', to, hi + 1), indexBefore(text, '\\n---', to, hi + 1)].filter((i) => i !== -1);
	return text.slice(start, Math.min(hi, ...ends));
}

const DATA_HEADER = new RegExp(String.raw`(?:^|${NL})(${INDENT}*)(?:data|stringData):[ \t]*(?=${NL})|\\?"(?:data|stringData)\\?"[ \t]{0,3}:[ \t]{0,3}\{`, 'g');
/** The last text's blocks. Compared with `===`, which is a pointer test for the same string and, for another string, stops at the first difference (an equal copy is compared once, then taken as the cached one). */
let blocksFor: string | undefined;
let blocks: [number, number][] = [];

/**
 * Spans of the `data:`/`stringData:` maps of Kubernetes Secret manifests in `text` (YAML: the lines indented deeper
 * than the header; JSON: up to the closing brace; either at most MAX_DATA_BLOCK characters), computed once per text.
 */
function secretDataBlocks(text: string): [number, number][] {
	if (text === blocksFor) {
		blocksFor = text;
		return blocks;
	}
	const found: [number, number][] = [];
	DATA_HEADER.lastIndex = 0;
	for (let m = DATA_HEADER.exec(text); m; m = DATA_HEADER.exec(text)) {
		const from = m.index + m[0].length;
		const bound = Math.min(text.length, from + MAX_DATA_BLOCK);
		let to: number;
		if (m[1] === undefined) {
			to = indexBefore(text, '}', from, bound);
			if (to === -1) to = bound;
		} else {
			const own = m[1].replace(/\\t/g, ' ').length;
			const breaks = new LineBreaks(text, bound);
			// YAML inside a JSON string (a session log line) ends where that string does, at an unescaped quote.
			const quote = breaks.next(from)[1] === 2 ? /(?<!\\)"/.exec(text.slice(from, bound)) : null;
			to = quote ? from + quote.index : bound;
			const limit = to;
			for (let [at, len] = breaks.next(from); at < limit; [at, len] = breaks.next(at + len)) {
				const [width, content] = indentAt(text, at + len);
				const blank = content >= text.length || text[content] === '\n' || text.startsWith('\\n', content) || text[content] === '#';
				if (!blank && width <= own) {
					to = at;
					break;
				}
			}
		}
		if (KIND_SECRET.test(manifestAround(text, m.index, to))) found.push([from, to]);
	}
	blocksFor = text;
	blocks = found;
	return found;
}

function inKubernetesSecretData(_value: string, text: string, start: number): boolean {
	return secretDataBlocks(text).some(([from, to]) => start >= from && start < to);
}

/** Cloud providers and infrastructure platforms. */
export const cloudRules: readonly Rule[] = [
	{
		id: 'aws-access-key-id', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'AWS access key id: a 4-letter type prefix (AKIA long-term, ASIA temporary...) and 16 base32 characters.',
		keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Za-z0-9])/g,
	},
	{
		id: 'aws-secret-access-key', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3.5,
		description: 'AWS secret access key: 40 base64 characters assigned to a name that mentions aws and secret.',
		keywords: ['aws'],
		keywordAt: { min: 0, max: 0 },
		pattern: new RegExp(String.raw`aws[\w.-]{0,20}?secret[\w.-]{0,20}${NAME_TO_VALUE}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`, 'gi'),
	},
	{
		id: 'aws-bedrock-api-key', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token',
		description: 'Amazon Bedrock long-lived API key: ABSK followed by base64 of "BedrockAPIKey-".',
		keywords: ['absk'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w+/])(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{100,200}={0,2})/g,
	},
	{
		id: 'gcp-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3.5,
		description: 'Google API key: AIza followed by 35 URL-safe characters.',
		keywords: ['aiza'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(AIza[\w-]{35})(?![\w-])/g,
	},
	{
		id: 'gcp-service-account-key', kind: 'secret', severity: 'critical', action: 'block', filters: 'none', priority: 6,
		description: 'Google service-account JSON: the "private_key" field holds a PEM key (often with JSON-escaped newlines).',
		keywords: ['private_key'],
		keywordAt: { min: 1, max: 2 },
		pattern: /\\?"private_key\\?"\s{0,4}:\s{0,4}\\?"(-----BEGIN[ A-Z]{0,20}PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{64,12000}?-----END[ A-Z]{0,20}PRIVATE KEY-----(?:\\{1,2}n)?)/g,
	},
	{
		id: 'gcp-oauth-client-secret', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Google OAuth client secret: GOCSPX- followed by 28 URL-safe characters.',
		keywords: ['gocspx-'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(GOCSPX-[\w-]{28})(?![\w-])/g,
	},
	{
		id: 'google-oauth-access-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3.5,
		description: 'Google OAuth access token: ya29. followed by a long URL-safe string.',
		keywords: ['ya29.'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w.-])(ya29\.[\w-]{30,2000})(?![\w-])/g,
	},
	{
		id: 'google-oauth-refresh-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3.5,
		description: 'Google OAuth refresh token: 1// followed by a long URL-safe string.',
		keywords: ['1//0'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w/])(1\/\/0[\w-]{40,500})(?![\w-])/g,
	},
	{
		id: 'azure-storage-account-key', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token',
		description: 'Azure storage connection string: AccountKey= holds 88 base64 characters (64 bytes).',
		keywords: ['accountkey'],
		keywordAt: { min: 0, max: 0 },
		pattern: /AccountKey\s{0,2}=\s{0,2}([A-Za-z0-9+/]{86}==)/gi,
	},
	{
		id: 'azure-sas-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3.5,
		description: 'Azure shared access signature: a URL or connection string with sv=<date> and a sig= HMAC.',
		keywords: ['sig='],
		keywordAt: { min: 14, max: 414 },
		pattern: /\bsv=\d{4}-\d{2}-\d{2}[^\s"'<>]{0,400}?[?&;]sig=([A-Za-z0-9%+/]{30,120}(?:%3D|=){0,2})/gi,
	},
	{
		id: 'azure-ad-client-secret', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Microsoft Entra (Azure AD) client secret: 3 characters, a digit, Q~, then 31-34 characters.',
		keywords: ['q~'],
		keywordAt: { min: 4, max: 4 },
		pattern: /(?<![\w~.-])([\w~.]{3}\dQ~[\w~.-]{31,34})(?![\w~.-])/g,
	},
	{
		id: 'digitalocean-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token',
		description: 'DigitalOcean personal, OAuth or refresh token: do[por]_v1_ and 64 hex digits.',
		keywords: ['_v1_'],
		keywordAt: { min: 3, max: 3 },
		pattern: /(?<![\w-])(do[por]_v1_[a-f0-9]{64})(?![\w-])/g,
	},
	{
		id: 'heroku-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Heroku platform key: HRKU-AA and 58 characters, or a UUID assigned next to the word heroku.',
		keywords: ['heroku', 'hrku-'],
		keywordAt: { min: 0, max: 0 },
		pattern: new RegExp(String.raw`(?<![\w-])(HRKU-AA[\w-]{58})(?![\w-])|heroku[\w.-]{0,25}${NAME_TO_VALUE}(${UUID})(?![\w-])`, 'gi'),
	},
	{
		id: 'alibaba-access-key-id', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Alibaba Cloud AccessKey id: LTAI and 20 alphanumerics.',
		keywords: ['ltai'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(LTAI[A-Za-z0-9]{20})(?![\w-])/g,
	},
	{
		id: 'cloudflare-origin-ca-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Cloudflare Origin CA key: v1.0-, 24 hex, -, 146 hex.',
		keywords: ['v1.0-'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})(?![\w-])/g,
	},
	{
		id: 'cloudflare-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'generic', entropy: 2,
		description: 'Cloudflare API token (40 chars) or global key (37 hex) assigned next to the word cloudflare.',
		keywords: ['cloudflare'],
		keywordAt: { min: 0, max: 0 },
		pattern: new RegExp(String.raw`cloudflare[\w.-]{0,25}${NAME_TO_VALUE}([\w-]{40}|[a-f0-9]{37})(?![\w-])`, 'gi'),
	},
	{
		id: 'databricks-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Databricks personal access token: dapi and 32 hex digits.',
		keywords: ['dapi'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(dapi[a-fA-F0-9]{32}(?:-\d)?)(?![\w-])/g,
	},
	{
		id: 'hashicorp-vault-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3.5,
		description: 'HashiCorp Vault service (hvs.) or batch (hvb.) token.',
		keywords: ['hvs.', 'hvb.'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w.-])(hvs\.[\w-]{90,120}|hvb\.[\w-]{138,300})(?![\w-])/g,
	},
	{
		id: 'terraform-cloud-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Terraform Cloud / Enterprise API token: 14 chars, .atlasv1., 60-70 chars.',
		keywords: ['atlasv1'],
		keywordAt: { min: 15, max: 15 },
		pattern: /(?<![\w-])([a-z0-9]{14}\.atlasv1\.[a-z0-9\-_=]{60,70})(?![\w-])/gi,
	},
	{
		id: 'flyio-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3.5,
		description: 'Fly.io access token: fo1_ + 43 chars, or a fm1/fm2 macaroon.',
		keywords: ['fo1_', 'fm1', 'fm2'],
		pattern: /(?<![\w-])(fo1_[\w-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,3000}={0,3})(?![\w+/-])/g,
	},
	{
		id: 'vercel-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Vercel token: vcp_/vci_/vca_/vcr_/vck_/vcc_ and 20-60 alphanumerics.',
		keywords: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_', 'vcc_'],
		pattern: /(?<![\w-])(vc[pickar]_[A-Za-z0-9]{20,60})(?![\w-])/g,
	},
	{
		id: 'tailscale-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Tailscale key: tskey-<type>-<id>-<secret>.',
		keywords: ['tskey-'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![A-Za-z0-9])(tskey-[a-z]{3,10}-[A-Za-z0-9]{8,40}-[A-Za-z0-9]{16,60})(?![\w-])/g,
	},
	{
		id: 'openshift-user-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'OpenShift user token: sha256~ and 43 URL-safe characters.',
		keywords: ['sha256~'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(sha256~[\w-]{43})(?![\w-])/g,
	},
	{
		id: 'pulumi-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Pulumi access token: pul- and 40 hex digits.',
		keywords: ['pul-'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(pul-[a-f0-9]{40})(?![\w-])/g,
	},
	{
		id: 'doppler-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Doppler service token: dp.pt. and 43 alphanumerics.',
		keywords: ['dp.pt.'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(dp\.pt\.[a-z0-9]{43})(?![\w-])/gi,
	},
	{
		id: 'grafana-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Grafana service-account token (glsa_) or Grafana Cloud token (glc_).',
		keywords: ['glsa_', 'glc_'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2})(?![\w+/-])/g,
	},
	{
		id: 'age-secret-key', kind: 'secret', severity: 'critical', action: 'block', filters: 'none', priority: 5,
		description: 'age encryption identity: AGE-SECRET-KEY-1 and 58 bech32 characters.',
		keywords: ['age-secret-key-1'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})/g,
	},
	{
		id: 'kubernetes-secret-data', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', priority: 2,
		description: 'Base64 value in the data (or stringData) map of a Kubernetes Secret manifest, YAML or JSON (kubectl get secret -o yaml/json).',
		keywords: ['secret'],
		// Only a text with a Secret's data map can hold one of its values (the blocks are cached for `validate`).
		prefilter: (text) => secretDataBlocks(text).length > 0,
		pattern: new RegExp(String.raw`(?:^|${NL})${INDENT}{1,16}[\w.-]{1,253}:[ \t]{0,3}(?:[|>][-+]?[ \t]{0,3}${NL}${INDENT}{1,24})?(?:\\?["'])?([A-Za-z0-9+/]{10,20000}={0,3})(?:\\?["'])?[ \t]{0,3}(?=\r?\n|\\[rn]|"|$)|\\?"[\w.-]{1,253}\\?"[ \t]{0,3}:[ \t]{0,3}\\?"([A-Za-z0-9+/]{10,20000}={0,3})\\?"`, 'g'),
		validate: inKubernetesSecretData,
	},
	{
		id: 'softlayer-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'IBM SoftLayer API key: 64 alphanumerics assigned to a softlayer/sl key, password or token, or in an api.softlayer.com/soap URL.',
		// `softlayer` (both forms hold it) or the `sl` name forms the pattern requires, not every `sl`.
		keywords: ['softlayer', ...nameKeywords(['sl'], ['key', 'pwd', 'pass', 'token'])],
		keywordAt: { min: 0, max: 4 },
		pattern: new RegExp(String.raw`(?<![A-Za-z0-9])(?:softlayer|sl)[_-]?(?:api)?[_-]?(?:key|pwd|password|pass|token)(?:${NAME_TO_VALUE}|\\?["']?[ \t]{1,3}\\?["']?)([a-z0-9]{64})(?![a-z0-9])|api\.softlayer\.com\/soap\/v3(?:\.1)?\/([a-z0-9]{64})(?![a-z0-9])`, 'gi'),
	},
	{
		id: 'ibm-cloud-iam-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'IBM Cloud IAM API key: 44 URL-safe characters assigned to an ibm/iam/cloud key, password or token.',
		// The last of ibm/iam/cloud runs straight into the credential word.
		keywords: nameKeywords(['ibm', 'iam', 'cloud'], ['key', 'pwd', 'pass', 'token']),
		keywordAt: { min: 0, max: 12 },
		pattern: new RegExp(String.raw`(?<![A-Za-z0-9])(?:ibm|iam|cloud)(?:[_-]?(?:ibm|iam|cloud)){0,2}[_-]?(?:api)?[_-]?(?:key|pwd|password|pass|token)${NAME_TO_VALUE}([\w-]{44})(?![\w-])`, 'gi'),
	},
	{
		id: 'ibm-cos-hmac-secret', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'IBM Cloud Object Storage HMAC secret: 48 hex digits assigned to a (cos_hmac_)secret_(access_)key.',
		keywords: ['secret', 'secret_', 'secret-'].flatMap((s) => ['', 'access'].flatMap((a) => ['', '_', '-'].map((b) => `${s}${a}${b}key`))),
		keywordAt: { min: 0, max: 13 },
		pattern: new RegExp(String.raw`(?<![A-Za-z0-9])(?:(?:ibm)?[_-]?cos[_-]?(?:hmac)?[_-]?)?secret[_-]?(?:access)?[_-]?key${NAME_TO_VALUE}([a-f0-9]{48})(?![\w-])`, 'gi'),
	},
	{
		id: 'cloudant-credential', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'IBM Cloudant password (64 hex) or API key (24 letters) assigned to a cloudant/cl key or password.',
		keywords: nameKeywords(['cloudant', 'clou', 'cl'], ['key', 'pw', 'pass', 'token']),
		keywordAt: { min: 0, max: 0 },
		pattern: new RegExp(String.raw`(?<![A-Za-z0-9])(?:cloudant|clou|cl)[_-]?(?:api)?[_-]?(?:key|pwd|pw|password|pass|token)${NAME_TO_VALUE}([a-f0-9]{64}|[a-z]{24})(?![\w-])`, 'gi'),
	},
	{
		id: 'onepassword-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token',
		description: '1Password service-account token (ops_eyJ...) or account secret key (A3-...).',
		keywords: ['ops_eyj', 'a3-'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}|A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?![\w+/-])/g,
	},
];
