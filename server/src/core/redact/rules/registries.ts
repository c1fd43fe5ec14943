import type { Rule } from './types';

/** Package registries and container registries. */
export const registryRules: readonly Rule[] = [
	{
		id: 'npm-access-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3,
		description: 'npm access token: npm_ and 36 alphanumerics.',
		keywords: ['npm_'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(npm_[A-Za-z0-9]{36})(?![\w-])/g,
	},
	{
		id: 'npmrc-auth-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 2.5,
		description: 'A registry credential with a literal value: .npmrc //host/:_authToken, _auth or _password, or .yarnrc.yml npmAuthToken/npmAuthIdent.',
		keywords: ['_authtoken', '_auth', '_password', 'npmauth'],
		keywordAt: { min: 0, max: 464 },
		pattern: /\/\/[\w.-]{1,253}(?::\d{1,5})?(?:\/[^\s:"'\\]{0,200})?\/:(?:_authToken|_auth|_password)\s{0,2}=\s{0,2}\\?["']?([^\s"'\\]{8,400})|\bnpmAuth(?:Token|Ident)\s{0,2}:\s{0,2}\\?["']?([^\s"'\\]{8,400})/g,
	},
	{
		id: 'pypi-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token',
		description: 'PyPI upload token: pypi- and a macaroon whose header encodes pypi.org (or test.pypi.org).',
		keywords: ['pypi-ag'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(pypi-AgEIcHlwaS5vcmc[\w-]{70,1000}|pypi-AgENdGVzdC5weXBpLm9yZw[\w-]{70,1000})(?![\w-])/g,
	},
	{
		id: 'docker-hub-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Docker Hub personal (dckr_pat_) or organization (dckr_oat_) access token.',
		keywords: ['dckr_'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(dckr_pat_[\w-]{27}|dckr_oat_[\w-]{32})(?![\w-])/g,
	},
	{
		id: 'rubygems-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'RubyGems API key: rubygems_ and 48 hex digits.',
		keywords: ['rubygems_'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(rubygems_[a-f0-9]{48})(?![\w-])/g,
	},
	{
		id: 'nuget-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'NuGet API key: oy2 and 43 lower-case alphanumerics.',
		keywords: ['oy2'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(oy2[a-z0-9]{43})(?![\w-])/g,
	},
	{
		id: 'artifactory-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'JFrog Artifactory API key (AKCp + 69) or reference token (cmVmd + 59).',
		keywords: ['akcp', 'cmvmd'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})(?![\w-])/g,
	},
	{
		id: 'clojars-api-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Clojars deploy token: CLOJARS_ and 60 alphanumerics.',
		keywords: ['clojars_'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(CLOJARS_[a-z0-9]{60})(?![\w-])/gi,
	},
	{
		id: 'shopify-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Shopify access, custom-app, private-app or shared-secret token: shpat_/shpca_/shppa_/shpss_ and 32 hex.',
		keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(shp(?:at|ca|pa|ss)_[a-zA-Z0-9]{32,64})(?![\w-])/g,
	},
];
