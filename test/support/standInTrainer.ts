/**
 * A stand-in for server/trainer/tracemint_train.py for what its dry run cannot show: a run that
 * keeps going until it is cancelled (with a child process, to prove the whole process group
 * dies), one that ignores SIGTERM (to prove the SIGKILL after the grace period), and one that
 * ends with adapter files to fetch. It writes the real trainer's run files; base_model picks
 * the behaviour.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const STAND_IN = {
	/** Writes an adapter and ends done. */
	adapter: 'stand-in/adapter',
	/** Beats until killed; its child `sleep` shares the process group. */
	sleep: 'stand-in/sleep',
	/** Like sleep, and ignores SIGTERM. */
	stubborn: 'stand-in/sleep-ignore-term',
} as const;

const SCRIPT = String.raw`
import argparse, json, os, signal, subprocess, sys, time

parser = argparse.ArgumentParser()
parser.add_argument('--config', required=True)
parser.add_argument('--dry-run', action='store_true')
options = parser.parse_args()
config = json.load(open(options.config))
out = config['output_dir']
os.makedirs(out, exist_ok=True)

def write(name, data):
    with open(os.path.join(out, name + '.tmp'), 'w') as f:
        json.dump(data, f)
    os.replace(os.path.join(out, name + '.tmp'), os.path.join(out, name))

def metric(step, loss):
    with open(os.path.join(out, 'metrics.jsonl'), 'a') as f:
        f.write(json.dumps({'step': step, 'loss': loss, 'eval_loss': loss + 0.1, 'tokens_per_second': 1234.5, 'gpu_memory_gb': 1.5}) + '\n')

rows = sum(1 for line in open(os.path.join(config['dataset_dir'], config['format'], 'train.jsonl')) if line.strip())
print('[stand-in] %d train rows, model %s' % (rows, config['base_model']), flush=True)
write('status.json', {'state': 'running'})
model = config['base_model']
if model.startswith('stand-in/sleep'):
    if model.endswith('ignore-term'):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = subprocess.Popen(['sleep', '300'])
    with open(os.path.join(out, 'child.pid'), 'w') as f:
        f.write(str(child.pid))
    deadline = time.time() + 120
    step = 0
    while time.time() < deadline:
        step += 1
        write('heartbeat.json', {'step': step, 'time': time.time(), 'pid': os.getpid()})
        metric(step, 2.0 / step)
        print('[stand-in] step %d' % step, flush=True)
        time.sleep(0.2)
    sys.exit(1)
for step in range(1, 4):
    metric(step, 2.0 / step)
    write('heartbeat.json', {'step': step})
adapter = os.path.join(out, 'adapter')
os.makedirs(adapter, exist_ok=True)
open(os.path.join(adapter, 'adapter_model.safetensors'), 'wb').write(b'\x00' * 64)
for name in ('adapter_config.json', 'tokenizer.json', 'tokenizer_config.json'):
    write(os.path.join('adapter', name), {'stand_in': True})
write('status.json', {'state': 'done', 'exit_code': 0})
print('[stand-in] done', flush=True)
`;

/** A trainer folder holding the stand-in as tracemint_train.py. */
export function writeStandInTrainer(dir: string): string {
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'tracemint_train.py'), SCRIPT);
	return dir;
}
