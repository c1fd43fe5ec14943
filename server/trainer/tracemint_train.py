#!/usr/bin/env python3
"""Tracemint trainer: LoRA fine-tuning of a chat model on one format of a Tracemint dataset export.

    python3 tracemint_train.py --config CONFIG.json [--dry-run]

Uploaded to the training host as this one file. Before anything heavy it checks the config and
every row of the dataset with the standard library alone, so a bad upload fails in a second rather
than after a model download. `--dry-run` stops there: it writes the run files below without
training, so the whole launch path can be exercised on a host with python3 and nothing else.

Run files in output_dir: status.json (state: running, saving, done, failed, cancelled),
heartbeat.json (rewritten atomically), metrics.jsonl (one line per log), checkpoint-N/ and, at
the end, adapter/ (adapter_model.safetensors, adapter_config.json, tokenizer files). A rerun
with the same output_dir resumes from the newest complete checkpoint.

Exit codes: 0 done, 1 training failed, 2 dataset does not match the format, 3 Python packages
missing, 4 bad config or arguments, 130 interrupted (SIGINT), 143 cancelled (SIGTERM).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import math
import os
import re
import signal
import sys
import threading
import time
import traceback
from datetime import datetime, timezone

FORMATS = ('trl_messages', 'trl_prompt_completion')
SPLITS = ('train', 'validation')
EXIT_FAILED, EXIT_DATASET, EXIT_PACKAGES, EXIT_CONFIG = 1, 2, 3, 4
EXIT_ON_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143}
# The heartbeat is also rewritten on a timer, so it stays fresh through model downloads and evaluation.
HEARTBEAT_SECONDS = 30
PACKAGES = ('torch', 'transformers', 'peft', 'trl', 'datasets', 'accelerate')


def say(message):
    print(f'[tracemint] {message}', flush=True)


class Refusal(Exception):
    """A check that failed before or instead of training: `message` is what the user reads."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------------------------------------
# Config

def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v):
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(v)


def _int(low, high=None):
    want = f'an integer >= {low}' + (f' and <= {high}' if high is not None else '')
    return want, lambda v: _is_int(v) and v >= low and (high is None or v <= high)


def _number(want, test):
    return want, lambda v: _is_number(v) and test(v)


def _one_of(values):
    return 'one of ' + ', '.join(values), lambda v: v in values


_TEXT = ('a non-empty string', lambda v: isinstance(v, str) and v.strip() != '')
_BOOL = ('true or false', lambda v: isinstance(v, bool))
_TARGETS = (
    '"all-linear" or a non-empty list of module names',
    lambda v: v == 'all-linear' or (isinstance(v, list) and len(v) > 0 and all(isinstance(m, str) and m for m in v)),
)
SCHEDULERS = ('linear', 'cosine', 'cosine_with_restarts', 'polynomial', 'constant', 'constant_with_warmup', 'inverse_sqrt')
REQUIRED = object()

# field: (default, (what it must be, test)). The orchestrator writes every field; the defaults
# (the usual LoRA recipe: r 16, alpha 32, dropout 0.05, lr 2e-4) serve configs written by hand.
SCHEMA = {
    'base_model': (REQUIRED, _TEXT),
    'dataset_dir': (REQUIRED, _TEXT),
    'format': (REQUIRED, _one_of(FORMATS)),
    'output_dir': (REQUIRED, _TEXT),
    'lora': {
        'r': (16, _int(1, 1024)),
        'alpha': (32, _number('a number > 0', lambda v: v > 0)),
        'dropout': (0.05, _number('a number >= 0 and < 1', lambda v: 0 <= v < 1)),
        'target_modules': ('all-linear', _TARGETS),
    },
    'training': {
        'epochs': (1, _number('a number > 0 and <= 100', lambda v: 0 < v <= 100)),
        'batch_size': (1, _int(1)),
        'grad_accum': (8, _int(1)),
        'learning_rate': (2e-4, _number('a number > 0 and < 1', lambda v: 0 < v < 1)),
        'warmup_ratio': (0.03, _number('a number >= 0 and < 1', lambda v: 0 <= v < 1)),
        'scheduler': ('cosine', _one_of(SCHEDULERS)),
        'weight_decay': (0.0, _number('a number >= 0', lambda v: v >= 0)),
        'seed': (42, _int(0)),
        'max_seq_length': (2048, _int(32)),
        'load_in_4bit': (False, _BOOL),
        # Optional: a step cap (smoke runs), and how often to checkpoint and log.
        'max_steps': (None, ('null or an integer >= 1', lambda v: v is None or (_is_int(v) and v >= 1))),
        'save_steps': (50, _int(1)),
        'save_total_limit': (2, _int(1)),
        'logging_steps': (1, _int(1)),
    },
}


def _show(v):
    text = json.dumps(v)
    return text if len(text) <= 60 else text[:57] + '...'


def _resolve(schema, given, where, problems):
    if not isinstance(given, dict):
        problems.append(f'{where.rstrip(".") or "config"}: expected an object, got {_show(given)}')
        return {}
    out = {}
    for key in sorted(set(given) - set(schema)):
        problems.append(f'{where}{key}: unknown field (known: {", ".join(schema)})')
    for key, spec in schema.items():
        if isinstance(spec, dict):
            out[key] = _resolve(spec, given.get(key, {}), f'{where}{key}.', problems)
            continue
        default, (want, test) = spec
        if key not in given:
            if default is REQUIRED:
                problems.append(f'{where}{key}: missing (expected {want})')
            out[key] = None if default is REQUIRED else default
        elif not test(given[key]):
            problems.append(f'{where}{key}: expected {want}, got {_show(given[key])}')
            out[key] = None
        else:
            out[key] = given[key]
    return out


def load_config(path):
    """(config with defaults filled in and paths made absolute, problems). Relative paths are
    relative to the config file, so a run folder can be moved as a whole."""
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            given = json.load(f)
    except OSError as error:
        return {}, [f'{name}: cannot read it ({error.strerror or error})']
    except ValueError as error:
        return {}, [f'{name}: not valid JSON ({error})']
    problems = []
    config = _resolve(SCHEMA, given, '', problems)
    base = os.path.dirname(os.path.abspath(path))
    for key in ('dataset_dir', 'output_dir'):
        if config.get(key):
            config[key] = os.path.normpath(os.path.join(base, os.path.expanduser(config[key])))
    return config, [f'{name}: {p}' for p in problems]


# ---------------------------------------------------------------------------------------------
# Dataset check (standard library only)

MESSAGE_KEYS = ('role', 'content', 'tool_calls', 'tool_call_id', 'name')
ROLES = ('system', 'user', 'assistant', 'tool')
COLUMNS = {
    'trl_messages': (('messages',), ('tools',)),
    'trl_prompt_completion': (('prompt', 'completion'), ('tools',)),
}


def _kind(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'a boolean'
    if isinstance(v, str):
        return 'a string'
    if isinstance(v, (int, float)):
        return 'a number'
    return 'a list' if isinstance(v, list) else 'an object'


def _call_problem(call, at):
    if not isinstance(call, dict):
        return f'{at} to be an object {{id, type, function}}, got {_kind(call)}'
    fn = call.get('function')
    if not isinstance(fn, dict):
        return f'{at}.function to be an object {{name, arguments}}, got {_kind(fn)}'
    if not isinstance(fn.get('name'), str) or not fn['name']:
        return f'{at}.function.name to be a non-empty string, got {_kind(fn.get("name"))}'
    arguments = fn.get('arguments')
    if isinstance(arguments, str):
        # Templates render arguments with `tojson`: a string would be encoded twice.
        return f'{at}.function.arguments to be an object, got a JSON string'
    if not isinstance(arguments, dict):
        return f'{at}.function.arguments to be an object, got {_kind(arguments)}'
    return None


def _message_problem(m, at):
    if not isinstance(m, dict):
        return f'{at} to be a message object, got {_kind(m)}'
    extra = sorted(set(m) - set(MESSAGE_KEYS))
    if extra:
        return f'{at} to have only the keys {", ".join(MESSAGE_KEYS)}, got {", ".join(extra)}'
    if m.get('role') not in ROLES:
        return f'{at}.role to be one of {", ".join(ROLES)}, got {_show(m.get("role"))}'
    if not isinstance(m.get('content'), str):
        return f'{at}.content to be a string, got {_kind(m.get("content"))}'
    for key in ('tool_call_id', 'name'):
        if m.get(key) is not None and not isinstance(m[key], str):
            return f'{at}.{key} to be a string, got {_kind(m[key])}'
    calls = m.get('tool_calls')
    if calls is None:
        return None
    if not isinstance(calls, list):
        return f'{at}.tool_calls to be a list, got {_kind(calls)}'
    if calls and m['role'] != 'assistant':
        return f'{at}.tool_calls to be empty on a {m["role"]} message, got {len(calls)}'
    for j, call in enumerate(calls):
        problem = _call_problem(call, f'{at}.tool_calls[{j}]')
        if problem:
            return problem
    return None


def _messages_problem(value, column):
    if not isinstance(value, list) or not value:
        return f'{column} to be a non-empty list of messages, got {"an empty list" if value == [] else _kind(value)}'
    for i, m in enumerate(value):
        problem = _message_problem(m, f'{column}[{i}]')
        if problem:
            return problem
    return None


def _tools_problem(value):
    if not isinstance(value, list):
        return f'tools to be a list of function specs, got {_kind(value)}'
    for i, tool in enumerate(value):
        fn = tool.get('function') if isinstance(tool, dict) else None
        if not isinstance(fn, dict) or not isinstance(fn.get('name'), str) or not fn['name']:
            return f'tools[{i}] to be {{type: "function", function: {{name, description, parameters}}}}, got {_show(tool)}'
    return None


def row_problem(fmt, row):
    """What is wrong with one row for `fmt`, phrased to follow 'expected ', or None."""
    if not isinstance(row, dict):
        return f'a JSON object per line, got {_kind(row)}'
    required, optional = COLUMNS[fmt]
    keys = set(row)
    if not set(required) <= keys or keys - set(required) - set(optional):
        return f'a row with the keys {", ".join(required + optional)}, got {", ".join(sorted(keys)) or "none"}'
    for column in required:
        problem = _messages_problem(row[column], column)
        if problem:
            return problem
    if 'tools' in row and row['tools'] is not None:
        problem = _tools_problem(row['tools'])
        if problem:
            return problem
    if fmt == 'trl_messages':
        if not any(m['role'] == 'assistant' for m in row['messages']):
            return 'messages to hold an assistant message (the loss is on assistant turns), got none'
        return None
    for i, m in enumerate(row['completion']):
        if m['role'] != 'assistant':
            return f'completion[{i}].role to be assistant (the completion is what is trained), got {m["role"]}'
    if row['prompt'][-1]['role'] not in ('user', 'tool'):
        return f'prompt to end on a user or tool message, got {row["prompt"][-1]["role"]}'
    return None


def _whitespace_words(value):
    """Words split on whitespace in every string of a row: a size hint, not model tokens."""
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, list):
        return sum(_whitespace_words(v) for v in value)
    if isinstance(value, dict):
        return sum(_whitespace_words(v) for v in value.values())
    return 0


class Split:
    def __init__(self, name):
        self.name = name
        self.rows = []
        self.count = 0
        self.words = []  # per row, for the dry-run's metrics
        self.sha256 = hashlib.sha256()


def _read_split(path, fmt, split, keep_rows, refuse):
    """Every line of one split file, checked. Blank lines are skipped; the count must still match the manifest."""
    data = Split(split)
    file = f'{split}.jsonl'
    with open(path, 'rb') as f:
        for number, raw in enumerate(f, start=1):
            data.sha256.update(raw)
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode('utf-8'))
            except UnicodeDecodeError:
                refuse(f'{file}:{number}', 'expected UTF-8 text, got other bytes')
            except ValueError as error:
                refuse(f'{file}:{number}', f'expected a JSON object, got invalid JSON ({error})')
            problem = row_problem(fmt, row)
            if problem:
                refuse(f'{file}:{number}', f'expected {problem}')
            data.count += 1
            data.words.append(_whitespace_words(row))
            if keep_rows:
                data.rows.append(row)
    return data


def check_dataset(config, keep_rows):
    """{split: Split} for train (required) and validation (when present), or a Refusal (exit 2)."""
    fmt, root = config['format'], config['dataset_dir']

    def refuse(where, message):
        raise Refusal(EXIT_DATASET, f'dataset does not match {fmt}: {where}: {message}')

    manifest_path = os.path.join(root, 'manifest.json')
    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except OSError:
        refuse('manifest.json', f'expected the export manifest in {root} (dataset_dir is a version folder such as <name>/v3), found none')
    except ValueError as error:
        refuse('manifest.json', f'expected JSON, got invalid JSON ({error})')
    if not isinstance(manifest, dict):
        refuse('manifest.json', f'expected an object, got {_kind(manifest)}')
    exported = (manifest.get('options') or {}).get('formats')
    if isinstance(exported, list) and fmt not in exported:
        refuse('manifest.json', f'expected {fmt} among the exported formats, got {", ".join(map(str, exported)) or "none"}')
    listed = {f.get('path'): f for f in manifest.get('files') or [] if isinstance(f, dict)}

    splits = {}
    for split in SPLITS:
        relative = f'{fmt}/{split}.jsonl'
        path = os.path.join(root, fmt, f'{split}.jsonl')
        if not os.path.isfile(path):
            if split == 'train':
                refuse(relative, 'expected the train split, found no file')
            continue
        data = _read_split(path, fmt, split, keep_rows, refuse)
        entry = listed.get(relative)
        # Compared after the row checks, so a broken line is reported by its number first.
        if entry is not None and entry.get('rows') is not None and entry['rows'] != data.count:
            refuse(f'{split}.jsonl', f'expected {entry["rows"]} rows as manifest.json lists, got {data.count} (incomplete upload?)')
        if entry is not None and entry.get('sha256') and entry['sha256'] != data.sha256.hexdigest():
            refuse(f'{split}.jsonl', 'expected the sha256 manifest.json lists, got another (the file changed after the export)')
        splits[split] = data
    if splits['train'].count == 0:
        refuse('train.jsonl', 'expected at least one row, got none')
    return splits


# ---------------------------------------------------------------------------------------------
# Run files

def _now():
    return datetime.now(timezone.utc).isoformat(timespec='seconds').replace('+00:00', 'Z')


def _clean(value):
    """JSON-safe: NaN and infinities become null (json would write bare NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, float):
        return round(value, 6)
    return value


class RunFiles:
    """status.json, heartbeat.json and metrics.jsonl of one run. Writes are atomic (write aside,
    then rename), so a poller reading over SSH never sees half a file."""

    def __init__(self, directory, config, dry_run):
        self.dir = directory
        self.lock = threading.RLock()
        self.serial = itertools.count()
        os.makedirs(directory, exist_ok=True)
        self.status = {
            'state': 'running', 'dry_run': dry_run, 'pid': os.getpid(), 'started_at': _now(),
            'format': config['format'], 'base_model': config['base_model'], 'error': None,
        }
        self.heartbeat = {'pid': os.getpid(), 'dry_run': dry_run, 'step': 0, 'epoch': 0.0, 'last_loss': None, 'last_eval_loss': None, 'last_checkpoint': None}

    def _write(self, name, data):
        path = os.path.join(self.dir, name)
        # A name per write: a signal handler may write while the interrupted write is half done.
        temp = f'{path}.{os.getpid()}.{next(self.serial)}.tmp'
        with open(temp, 'w', encoding='utf-8') as f:
            json.dump(data, f, indent=1)
            f.write('\n')
        os.replace(temp, path)

    def set_status(self, state, **fields):
        with self.lock:
            self.status.update(fields, state=state, updated_at=_now())
            self._write('status.json', self.status)
            self.beat(state=state)

    def beat(self, **fields):
        with self.lock:
            self.heartbeat.update({k: _clean(v) for k, v in fields.items()})
            self.heartbeat.update(time=_now(), state=self.status['state'])
            self._write('heartbeat.json', self.heartbeat)

    def metric(self, **fields):
        line = json.dumps({'time': _now(), **{k: _clean(v) for k, v in fields.items()}})
        with self.lock, open(os.path.join(self.dir, 'metrics.jsonl'), 'a', encoding='utf-8') as f:
            f.write(line + '\n')

    def keep_beating(self):
        def loop():
            while True:
                time.sleep(HEARTBEAT_SECONDS)
                self.beat()
        threading.Thread(target=loop, name='heartbeat', daemon=True).start()


RUN = None  # the RunFiles of this process, for the signal handler


def _on_signal(signum, _frame):
    name = signal.Signals(signum).name
    if RUN is not None:
        RUN.set_status('cancelled', error=f'stopped by {name}', exit_code=EXIT_ON_SIGNAL[signum])
    say(f'{name}: cancelled')
    sys.stderr.flush()
    # Promptly, and without unwinding through the trainer (which could save or log on the way out).
    os._exit(EXIT_ON_SIGNAL[signum])


def planned_steps(config, train_rows):
    t = config['training']
    per_epoch = max(1, math.ceil(math.ceil(train_rows / t['batch_size']) / t['grad_accum']))
    return per_epoch, t['max_steps'] or math.ceil(per_epoch * t['epochs'])


# ---------------------------------------------------------------------------------------------
# Dry run

def dry_run(config, splits, run):
    """The run files a real run writes, with no model: step lines carry whitespace word counts and
    loss null, so a poller and a chart can be tested on a host without a GPU."""
    t = config['training']
    per_epoch, total = planned_steps(config, splits['train'].count)
    rows_per_step = t['batch_size'] * t['grad_accum']
    words = splits['train'].words
    for step in range(1, min(total, 5) + 1):
        start = ((step - 1) % per_epoch) * rows_per_step
        batch = words[start:start + rows_per_step]
        run.metric(dry_run=True, split='train', step=step, epoch=step / per_epoch, loss=None, rows=len(batch), whitespace_words=sum(batch))
        run.beat(step=step, epoch=step / per_epoch)
    if 'validation' in splits and splits['validation'].count:
        val = splits['validation']
        run.metric(dry_run=True, split='validation', step=min(total, 5), eval_loss=None, rows=val.count, whitespace_words=sum(val.words))
    summary = {s.name: {'rows': s.count, 'whitespace_words': sum(s.words)} for s in splits.values()}
    run.set_status('done', steps_planned=total, steps_per_epoch=per_epoch, splits=summary, exit_code=0)
    say(f'dry run: dataset and config match; {total} optimizer steps planned ({per_epoch} per epoch); nothing trained')


# ---------------------------------------------------------------------------------------------
# Training

def import_packages(config):
    """The training stack, or a Refusal (exit 3) naming every package that is missing."""
    import importlib
    import importlib.util

    names = list(PACKAGES) + (['bitsandbytes'] if config['training']['load_in_4bit'] else [])
    missing = [n for n in names if importlib.util.find_spec(n) is None]
    if missing:
        raise Refusal(EXIT_PACKAGES, f'missing Python packages: {", ".join(missing)} (install requirements.txt beside this script: pip install -r requirements.txt)')
    modules = {}
    for name in names:
        try:
            modules[name] = importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 - a broken install is reported, not raised
            raise Refusal(EXIT_PACKAGES, f'cannot import {name}: {type(error).__name__}: {error}') from error
    if not hasattr(modules['datasets'], 'Json'):
        raise Refusal(EXIT_PACKAGES, f'datasets {modules["datasets"].__version__} has no Json feature (free-form tool-call arguments need it): install requirements.txt')
    say('versions: ' + ', '.join(f'{n} {getattr(m, "__version__", "?")}' for n, m in modules.items()))
    return modules


def _features(datasets, fmt):
    """Arrow types with tool calls and tool specs as Json: Arrow would otherwise merge every
    call's arguments into one struct and add null keys the model never saw."""
    message = {
        'role': datasets.Value('string'), 'content': datasets.Value('string'),
        'tool_calls': datasets.List(datasets.Json()), 'tool_call_id': datasets.Value('string'), 'name': datasets.Value('string'),
    }
    columns = {c: datasets.List(message) for c in COLUMNS[fmt][0]}
    return datasets.Features({**columns, 'tools': datasets.List(datasets.Json())})


def _normalised(row, fmt):
    """Every message with all five keys and a tools list, as the features declare."""
    out = {'tools': row.get('tools') or []}
    for column in COLUMNS[fmt][0]:
        out[column] = [{
            'role': m['role'], 'content': m['content'], 'tool_calls': m.get('tool_calls') or [],
            'tool_call_id': m.get('tool_call_id') or '', 'name': m.get('name') or '',
        } for m in row[column]]
    return out


def loss_masking(tokenizer, config):
    """SFTConfig loss flags for the format and what the chat template allows."""
    if config['format'] == 'trl_prompt_completion':
        return {'completion_only_loss': True, 'assistant_only_loss': False}, 'loss on the completion only'
    template = tokenizer.chat_template or ''
    if re.search(r'\{%-?\s*generation\s*-?%\}', template):
        return {'assistant_only_loss': True}, 'loss on assistant tokens only (the template marks them)'
    try:
        from trl.chat_template_utils import get_training_chat_template
        get_training_chat_template(tokenizer)
        return {'assistant_only_loss': True}, 'loss on assistant tokens only (TRL patches this template family)'
    except Exception:  # noqa: BLE001 - unknown template family, or an older TRL
        say('WARNING: the chat template has no {% generation %} markers and TRL cannot patch it, so the loss covers every '
            'token (system, user and tool text too). Export trl_prompt_completion to train on assistant turns only.')
        return {'assistant_only_loss': False}, 'loss on the whole conversation'


def last_checkpoint(directory):
    """The newest checkpoint-N folder that was written to the end (trainer_state.json is saved last)."""
    found = []
    for name in os.listdir(directory):
        match = re.fullmatch(r'checkpoint-(\d+)', name)
        if match and os.path.isfile(os.path.join(directory, name, 'trainer_state.json')):
            found.append((int(match.group(1)), os.path.join(directory, name)))
    return max(found)[1] if found else None


def _version(module):
    return tuple(int(p) for p in re.findall(r'\d+', module.__version__)[:2])


def make_callback(transformers, torch, run):
    cuda = torch.cuda.is_available()

    class RunCallback(transformers.TrainerCallback):
        """Each log becomes a metrics.jsonl line and a heartbeat; each save moves last_checkpoint."""

        def __init__(self):
            self.mark = (time.time(), 0)

        def on_train_begin(self, args, state, control, **kwargs):
            self.mark = (time.time(), state.num_input_tokens_seen)
            run.beat(step=state.global_step)

        def on_log(self, args, state, control, logs=None, **kwargs):
            logs = logs or {}
            if 'loss' not in logs and 'eval_loss' not in logs:
                return
            speed = None
            if 'loss' in logs:
                now, seen = time.time(), state.num_input_tokens_seen
                if now > self.mark[0] and seen > self.mark[1]:
                    speed = (seen - self.mark[1]) / (now - self.mark[0])
                self.mark = (now, seen)
            memory = torch.cuda.max_memory_allocated() / 1e9 if cuda else None
            run.metric(
                step=state.global_step, epoch=state.epoch, loss=logs.get('loss'), eval_loss=logs.get('eval_loss'),
                learning_rate=logs.get('learning_rate'), grad_norm=logs.get('grad_norm'),
                tokens_per_second=None if speed is None else round(speed, 1), gpu_memory_gb=None if memory is None else round(memory, 3),
            )
            fields = {'step': state.global_step, 'epoch': state.epoch}
            if 'loss' in logs:
                fields['last_loss'] = logs['loss']
            if 'eval_loss' in logs:
                fields['last_eval_loss'] = logs['eval_loss']
            run.beat(**fields)

        def on_step_end(self, args, state, control, **kwargs):
            run.beat(step=state.global_step, epoch=state.epoch)

        def on_save(self, args, state, control, **kwargs):
            run.beat(last_checkpoint=os.path.join(args.output_dir, f'checkpoint-{state.global_step}'))

    return RunCallback()


def train(config, splits, run):
    m = import_packages(config)
    torch, transformers, peft, trl, datasets = m['torch'], m['transformers'], m['peft'], m['trl'], m['datasets']
    t, lora, fmt = config['training'], config['lora'], config['format']
    transformers.logging.set_verbosity_warning()
    datasets.disable_progress_bars()

    cuda = torch.cuda.is_available()
    if t['load_in_4bit'] and not cuda:
        raise Refusal(EXIT_CONFIG, 'training.load_in_4bit: needs a CUDA GPU, found none')
    bf16 = cuda and torch.cuda.is_bf16_supported()
    fp16 = cuda and not bf16
    dtype = torch.bfloat16 if bf16 else torch.float16 if fp16 else torch.float32
    say(f'device: {torch.cuda.get_device_name(0) if cuda else "CPU"}; weights {str(dtype).replace("torch.", "")}'
        + ('; 4-bit' if t['load_in_4bit'] else '') + ('; gradient checkpointing' if cuda else ''))

    tokenizer = transformers.AutoTokenizer.from_pretrained(config['base_model'])
    if not tokenizer.chat_template:
        raise Refusal(EXIT_CONFIG, f'base_model: {config["base_model"]} has no chat template, and {fmt} rows are conversations')
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    masking, masking_note = loss_masking(tokenizer, config)
    say(masking_note)

    load = {'dtype' if _version(transformers) >= (4, 56) else 'torch_dtype': dtype}
    if t['load_in_4bit']:
        load['quantization_config'] = transformers.BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type='nf4', bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=dtype,
        )
        load['device_map'] = {'': 0}
    model = transformers.AutoModelForCausalLM.from_pretrained(config['base_model'], **load)
    if t['load_in_4bit']:
        model = peft.prepare_model_for_kbit_training(model, use_gradient_checkpointing=cuda)
    peft_config = peft.LoraConfig(
        r=lora['r'], lora_alpha=lora['alpha'], lora_dropout=lora['dropout'], target_modules=lora['target_modules'],
        bias='none', task_type='CAUSAL_LM',
    )

    features = _features(datasets, fmt)
    train_set = datasets.Dataset.from_list([_normalised(r, fmt) for r in splits['train'].rows], features=features)
    val = splits.get('validation')
    eval_set = datasets.Dataset.from_list([_normalised(r, fmt) for r in val.rows], features=features) if val and val.count else None
    for split in splits.values():
        split.rows = []  # Arrow holds them now

    fields = {f.name for f in dataclasses.fields(trl.SFTConfig)}
    # transformers 5 folded warmup_ratio into warmup_steps (a value below 1 is a ratio).
    warmup = {'warmup_ratio': t['warmup_ratio']} if 'warmup_ratio' in fields else {'warmup_steps': t['warmup_ratio']}
    args = trl.SFTConfig(
        output_dir=config['output_dir'], num_train_epochs=t['epochs'], max_steps=t['max_steps'] or -1,
        per_device_train_batch_size=t['batch_size'], per_device_eval_batch_size=t['batch_size'], gradient_accumulation_steps=t['grad_accum'],
        learning_rate=t['learning_rate'], lr_scheduler_type=t['scheduler'], weight_decay=t['weight_decay'], seed=t['seed'], **warmup,
        max_length=t['max_seq_length'], packing=False,
        # bf16 autocast on a CPU whose AMX units the OS withholds dies with SIGILL: full precision off the GPU.
        bf16=bf16, fp16=fp16, use_cpu=not cuda, gradient_checkpointing=cuda,
        eval_strategy='epoch' if eval_set is not None else 'no',
        save_strategy='steps', save_steps=t['save_steps'], save_total_limit=t['save_total_limit'],
        logging_steps=t['logging_steps'], include_num_input_tokens_seen='non_padding',
        report_to='none', disable_tqdm=True, dataloader_num_workers=0, **masking,
    )
    trainer = trl.SFTTrainer(
        model=model, args=args, train_dataset=train_set, eval_dataset=eval_set, processing_class=tokenizer,
        peft_config=peft_config, callbacks=[make_callback(transformers, torch, run)],
    )

    # TRL drops rows whose trained tokens all lie past max_length (keep_start truncation).
    kept = len(trainer.train_dataset)
    if kept == 0:
        raise Refusal(EXIT_CONFIG, f'training.max_seq_length: no train row has a trained token within the first {t["max_seq_length"]} tokens; raise it, or export with a smaller max tokens per sample')
    if kept < splits['train'].count:
        say(f'WARNING: {splits["train"].count - kept} of {splits["train"].count} train rows dropped: nothing they train lies within the first {t["max_seq_length"]} tokens')
    run.set_status('running', rows_trained=kept)
    if eval_set is not None and len(trainer.eval_dataset) == 0:
        say(f'WARNING: no validation row has a trained token within the first {t["max_seq_length"]} tokens: no evaluation')
        trainer.eval_dataset = None
        trainer.args.eval_strategy = 'no'

    resume = last_checkpoint(config['output_dir'])
    if resume:
        say(f'resuming from {os.path.basename(resume)}')
        run.set_status('running', resumed_from=os.path.basename(resume))
        run.beat(last_checkpoint=resume)
    trainer.train(resume_from_checkpoint=resume)

    run.set_status('saving', step=trainer.state.global_step)
    adapter = os.path.join(config['output_dir'], 'adapter')
    trainer.model.save_pretrained(adapter)
    tokenizer.save_pretrained(adapter)
    # Not the trainer's training_loss: after a resume it divides this run's loss sum by every step, resumed ones too.
    run.set_status('done', step=trainer.state.global_step, last_loss=run.heartbeat['last_loss'], adapter_dir=adapter, exit_code=0)
    say(f'done: {trainer.state.global_step} steps, adapter in {adapter}')


# ---------------------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse exits 2 on its own, which here means a dataset mismatch.
        self.print_usage(sys.stderr)
        print(f'{self.prog}: {message}', file=sys.stderr)
        sys.exit(EXIT_CONFIG)


def main(argv=None):
    global RUN
    parser = _Parser(prog='tracemint_train.py', description='LoRA fine-tuning on a Tracemint dataset export.')
    parser.add_argument('--config', required=True, help='the run config (JSON) the orchestrator wrote')
    parser.add_argument('--dry-run', action='store_true', help='check the config and dataset, write the run files, train nothing')
    options = parser.parse_args(argv)
    for signum in EXIT_ON_SIGNAL:
        signal.signal(signum, _on_signal)

    config, problems = load_config(options.config)
    out = config.get('output_dir')
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        if out:
            RunFiles(out, config, options.dry_run).set_status('failed', error='; '.join(problems), exit_code=EXIT_CONFIG)
        return EXIT_CONFIG
    say('config ' + json.dumps(config, indent=1))

    RUN = RunFiles(out, config, options.dry_run)
    RUN.set_status('running')
    RUN.keep_beating()
    try:
        splits = check_dataset(config, keep_rows=not options.dry_run)
        say('dataset: ' + ', '.join(f'{s.name} {s.count} rows' for s in splits.values()))
        if options.dry_run:
            dry_run(config, splits, RUN)
        else:
            train(config, splits, RUN)
        return 0
    except Refusal as refusal:
        print(refusal.message, file=sys.stderr)
        RUN.set_status('failed', error=refusal.message, exit_code=refusal.code)
        return refusal.code
    except Exception as error:  # noqa: BLE001 - every failure ends in status.json
        traceback.print_exc()
        message = f'{type(error).__name__}: {error}'
        print(f'training failed: {message}', file=sys.stderr)
        RUN.set_status('failed', error=message, exit_code=EXIT_FAILED)
        return EXIT_FAILED


if __name__ == '__main__':
    sys.exit(main())
