/**
 * The run view's DOM: the run's state and where it runs, its actions, the numbers of the last
 * step, the loss chart (inline SVG from chart.ts) and the config. Values from the host are set
 * with textContent or as SVG attributes, never as HTML; styling is by class (the CSP allows no
 * inline style attribute).
 */
import { datasetLabel, formatLoss, groupedNumber, isFinalRunState, modelName, type RunMetricDto, type TrainRunInfo } from '../../../shared/training';
import type { RunViewAction, RunViewState } from '../../../shared/webviewProtocol';
import { button } from '../components/ui';
import { chartModel, DEFAULT_SIZE, throughput, type ChartModel } from './chart';

const SVG = 'http://www.w3.org/2000/svg';
const LINE_NAMES = { loss: 'train loss', evalLoss: 'eval loss' } as const;

export interface RunViewHandlers {
	action(action: RunViewAction): void;
}

export class RunView {
	private readonly title = document.createElement('h2');
	private readonly subtitle = document.createElement('p');
	private readonly stateBadge = document.createElement('span');
	private readonly problem = document.createElement('p');
	private readonly actions = document.createElement('div');
	private readonly stats = document.createElement('dl');
	private readonly chart = document.createElement('figure');
	private readonly config = document.createElement('dl');

	constructor(root: HTMLElement, private readonly handlers: RunViewHandlers) {
		root.id = 'run-view';
		root.className = 'run-view';
		const header = document.createElement('header');
		this.stateBadge.className = 'state';
		this.stateBadge.setAttribute('role', 'status');
		header.append(this.title, this.stateBadge);
		this.subtitle.className = 'subtitle';
		this.problem.className = 'problem';
		this.actions.className = 'toolbar';
		this.actions.setAttribute('role', 'toolbar');
		this.actions.setAttribute('aria-label', 'Run actions');
		this.stats.className = 'stats';
		this.chart.className = 'chart';
		const configHeading = document.createElement('h3');
		configHeading.textContent = 'Config';
		this.config.className = 'config';
		this.title.textContent = 'Loading…';
		this.problem.hidden = true;
		root.append(header, this.subtitle, this.problem, this.actions, this.stats, this.chart, configHeading, this.config);
	}

	/** Renders everything; returns how many points each line has (for the host's rendered report). */
	render(state: RunViewState): { lossPoints: number; evalLossPoints: number } {
		const { run } = state;
		this.title.textContent = `${modelName(run.config.baseModel)} · ${datasetLabel(run.datasetDir)}${run.dryRun ? ' (dry run)' : ''}`;
		this.stateBadge.textContent = run.following && !isFinalRunState(run.state) ? `${run.state} · live` : run.state;
		this.stateBadge.className = `state state-${run.state}`;
		this.subtitle.textContent = `${run.host} · ${run.remoteDir} · started ${localTime(run.createdAt)} · run ${run.id}`;
		const problem = [run.detail, run.unreachable ? `State as last seen; the host did not answer: ${run.unreachable}` : undefined, state.problem].filter(Boolean).join(' ');
		this.problem.textContent = problem;
		this.problem.hidden = problem === '';
		this.renderActions(run);
		this.renderStats(run, state.metrics);
		const model = chartModel(state.metrics, DEFAULT_SIZE);
		this.renderChart(model);
		this.config.replaceChildren(...state.summary.flatMap(([label, value]) => [text('dt', label), text('dd', value)]));
		const count = (name: 'loss' | 'evalLoss') => model.lines.find((l) => l.name === name)?.points ?? 0;
		return { lossPoints: count('loss'), evalLossPoints: count('evalLoss') };
	}

	private renderActions(run: TrainRunInfo): void {
		const items: HTMLElement[] = [];
		if (!isFinalRunState(run.state)) items.push(button('Cancel Run', () => this.handlers.action('cancel'), { action: 'cancel', appearance: 'secondary', title: 'SIGTERM to the run\'s processes, SIGKILL after 30 s' }));
		if (run.state === 'done' && !run.dryRun && !run.adapterDir) items.push(button('Download Adapter', () => this.handlers.action('fetch'), { action: 'fetch' }));
		if (run.adapterDir) items.push(button('Reveal Adapter', () => this.handlers.action('revealAdapter'), { action: 'revealAdapter' }));
		items.push(button('Show Log', () => this.handlers.action('showLog'), { action: 'showLog', appearance: 'secondary' }));
		this.actions.replaceChildren(...items);
	}

	private renderStats(run: TrainRunInfo, metrics: readonly RunMetricDto[]): void {
		const speed = throughput(metrics);
		const lastLoss = [...metrics].reverse().find((m) => m.loss !== undefined)?.loss ?? run.lastMetric?.loss;
		const lastEval = [...metrics].reverse().find((m) => m.evalLoss !== undefined)?.evalLoss;
		const step = speed.lastStep ?? run.lastMetric?.step;
		const rows: [string, string][] = [
			['Step', step === undefined ? '–' : run.plannedSteps ? `${groupedNumber(step)} / ${groupedNumber(run.plannedSteps)}` : groupedNumber(step)],
			['Train loss', lastLoss === undefined ? '–' : formatLoss(lastLoss)],
			['Eval loss', lastEval === undefined ? '–' : formatLoss(lastEval)],
			['Tokens/s', speed.latestTokensPerSecond === undefined ? '–' : `${groupedNumber(Math.round(speed.latestTokensPerSecond))} (mean ${groupedNumber(Math.round(speed.meanTokensPerSecond!))})`],
			['GPU memory', speed.peakGpuMemoryGb === undefined ? '–' : `${speed.peakGpuMemoryGb.toFixed(1)} GB peak`],
		];
		this.stats.replaceChildren(...rows.map(([label, value]) => {
			const cell = document.createElement('div');
			cell.append(text('dt', label), text('dd', value));
			return cell;
		}));
	}

	private renderChart(model: ChartModel): void {
		if (model.empty) {
			this.chart.replaceChildren(text('figcaption', 'The loss chart appears with the first logged step.'));
			return;
		}
		const svg = svgElement('svg', { viewBox: `0 0 ${model.width} ${model.height}`, role: 'img', class: 'loss-chart' });
		const last = model.lines.map((l) => `${LINE_NAMES[l.name]} ${formatLoss(l.last.value)} at step ${l.last.step}`).join(', ');
		svg.setAttribute('aria-label', `Loss by step: ${last}`);
		const { plot } = model;
		for (const tick of model.yTicks) {
			svg.append(
				svgElement('line', { x1: plot.left, x2: plot.right, y1: tick.at, y2: tick.at, class: 'grid' }),
				svgText(tick.label, { x: plot.left - 6, y: tick.at, class: 'tick y' }),
			);
		}
		for (const tick of model.xTicks) {
			svg.append(
				svgElement('line', { x1: tick.at, x2: tick.at, y1: plot.bottom, y2: plot.bottom + 4, class: 'axis' }),
				svgText(tick.label, { x: tick.at, y: plot.bottom + 16, class: 'tick x' }),
			);
		}
		svg.append(svgElement('line', { x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom, class: 'axis' }));
		for (const line of model.lines) {
			svg.append(svgElement('path', { d: line.path, class: `line ${line.name}` }));
			svg.append(svgElement('circle', { cx: line.last.x, cy: line.last.y, r: 3, class: `dot ${line.name}` }));
		}
		const legend = document.createElement('figcaption');
		legend.className = 'legend';
		for (const line of model.lines) {
			const item = document.createElement('span');
			item.className = `key ${line.name}`;
			item.textContent = `${LINE_NAMES[line.name]} ${formatLoss(line.last.value)}`;
			legend.append(item);
		}
		this.chart.replaceChildren(svg, legend);
	}
}

function svgElement(name: string, attributes: Record<string, string | number>): SVGElement {
	const el = document.createElementNS(SVG, name);
	for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, String(value));
	return el;
}

function svgText(content: string, attributes: Record<string, string | number>): SVGElement {
	const el = svgElement('text', attributes);
	el.textContent = content;
	return el;
}

function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string): HTMLElementTagNameMap[K] {
	const el = document.createElement(tag);
	el.textContent = content;
	return el;
}

function localTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

