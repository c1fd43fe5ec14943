import { NAME_TO_VALUE_INLINE } from './patterns';
import type { Rule } from './types';

/** Source hosting and developer platforms. */
export const vcsRules: readonly Rule[] = [
	{
		id: 'github-pat', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3,
		description: 'GitHub classic personal access token: ghp_ and 36 alphanumerics.',
		keywords: ['ghp_'],
		pattern: /(?<![\w-])(ghp_[A-Za-z0-9]{36})(?![\w-])/g,
	},
	{
		id: 'github-oauth-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3,
		description: 'GitHub OAuth access token: gho_ and 36 alphanumerics.',
		keywords: ['gho_'],
		pattern: /(?<![\w-])(gho_[A-Za-z0-9]{36})(?![\w-])/g,
	},
	{
		id: 'github-app-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3,
		description: 'GitHub App user-to-server (ghu_) or installation (ghs_) token.',
		keywords: ['ghu_', 'ghs_'],
		pattern: /(?<![\w-])(gh[us]_[A-Za-z0-9]{36}|ghs_\d{1,20}_eyJ[\w.-]{20,3000})(?![\w.-])/g,
	},
	{
		id: 'github-refresh-token', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3,
		description: 'GitHub refresh token: ghr_ and 36 alphanumerics.',
		keywords: ['ghr_'],
		pattern: /(?<![\w-])(ghr_[A-Za-z0-9]{36})(?![\w-])/g,
	},
	{
		id: 'github-fine-grained-pat', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3,
		description: 'GitHub fine-grained personal access token: github_pat_ and 82 word characters.',
		keywords: ['github_pat_'],
		pattern: /(?<![\w-])(github_pat_\w{82})(?![\w-])/g,
	},
	{
		id: 'gitlab-pat', kind: 'secret', severity: 'critical', action: 'redact', filters: 'token', entropy: 3,
		description: 'GitLab personal access token: glpat- and 20+ URL-safe characters (routable form adds a .xx suffix).',
		keywords: ['glpat-'],
		pattern: /(?<![\w-])(glpat-[\w-]{20,300}(?:\.[0-9a-z]{2}[0-9a-z]{7})?)(?![\w-])/g,
	},
	{
		id: 'gitlab-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Other GitLab tokens, each at its generated length: deploy (gldt-), feed (glft-), OAuth (glsoat-), runner (glrt-, GR1348941), CI job (glcbt-), feature flag (glffct-) 20-50; incoming mail (glimt-) 25; trigger (glptt-) 40; agent (glagent-) 50+; OAuth app secret (gloas-) 64.',
		keywords: ['gldt-', 'glft-', 'glsoat-', 'glrt-', 'glptt-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'glffct-', 'gr1348941'],
		pattern: /(?<![\w-])((?:gldt|glft|glsoat|glrt|glffct)-[\w-]{20,50}|glcbt-(?:[0-9a-fA-F]{1,5}_)?[\w-]{20,50}|GR1348941[\w-]{20,50}|glimt-[\w-]{25}|glptt-[\w-]{40}|glagent-[\w-]{50,1024}|gloas-[\w-]{64})(?![\w-])/g,
	},
	{
		id: 'atlassian-api-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Atlassian (Jira, Confluence, Bitbucket) API token: ATATT3 and about 186 characters.',
		keywords: ['atatt3'],
		pattern: /(?<![\w-])(ATATT3[A-Za-z0-9_\-=]{186})(?![\w=-])/g,
	},
	{
		id: 'bitbucket-app-password', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Bitbucket app password: ATBB and 32 alphanumerics.',
		keywords: ['atbb'],
		pattern: /(?<![\w-])(ATBB[A-Za-z0-9_=.-]{32})(?![\w=.-])/g,
	},
	{
		id: 'sourcegraph-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Sourcegraph access token: sgp_, an optional instance id, and 40 hex digits; or a legacy 40-hex token assigned next to the word sourcegraph.',
		keywords: ['sgp_', 'sourcegraph'],
		pattern: new RegExp(String.raw`(?<![\w-])(sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40})(?![\w-])|sourcegraph[\w.-]{0,25}${NAME_TO_VALUE_INLINE}([a-fA-F0-9]{40})(?![\w-])`, 'gi'),
	},
	{
		id: 'linear-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Linear API key: lin_api_ and 40 alphanumerics.',
		keywords: ['lin_api_'],
		pattern: /(?<![\w-])(lin_api_[A-Za-z0-9]{40})(?![\w-])/g,
	},
	{
		id: 'notion-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Notion integration token: ntn_, 11 digits and 35 alphanumerics.',
		keywords: ['ntn_'],
		pattern: /(?<![\w-])(ntn_\d{11}[A-Za-z0-9]{35})(?![\w-])/g,
	},
	{
		id: 'figma-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Figma personal access token: figd_ and 40 or more URL-safe characters.',
		keywords: ['figd_'],
		pattern: /(?<![\w-])(figd_[\w-]{40,200})(?![\w-])/g,
	},
	{
		id: 'postman-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Postman API key: PMAK-, 24 hex, -, 34 hex.',
		keywords: ['pmak-'],
		pattern: /(?<![\w-])(PMAK-[a-f0-9]{24}-[a-f0-9]{34})(?![\w-])/gi,
	},
	{
		id: 'sentry-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Sentry organization (sntrys_) or user (sntryu_) auth token.',
		keywords: ['sntrys_', 'sntryu_'],
		pattern: /(?<![\w-])(sntrys_eyJ[A-Za-z0-9+/=_-]{60,400}|sntryu_[a-f0-9]{64})(?![\w+/=-])/g,
	},
	{
		id: 'infracost-api-token', kind: 'secret', severity: 'medium', action: 'redact', filters: 'token', entropy: 3,
		description: 'Infracost API token: ico- and 32 alphanumerics.',
		keywords: ['ico-'],
		pattern: /(?<![\w.-])(ico-[A-Za-z0-9]{32})(?![\w-])/g,
	},
	{
		id: 'octopus-deploy-api-key', kind: 'secret', severity: 'high', action: 'redact', filters: 'token', entropy: 3,
		description: 'Octopus Deploy API key: API- and 26 upper-case alphanumerics.',
		keywords: ['api-'],
		pattern: /(?<![\w-])(API-[A-Z0-9]{26})(?![\w-])/g,
	},
	{
		id: 'scalingo-api-token', kind: 'secret', severity: 'high', action: 'redact', filters: 'token',
		description: 'Scalingo API token: tk-us- and 48 URL-safe characters.',
		keywords: ['tk-us-'],
		pattern: /(?<![\w-])(tk-us-[\w-]{48})(?![\w-])/g,
	},
];
