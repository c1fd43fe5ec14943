"""Loads every config of an exported dataset version with Hugging Face `datasets` and trains a few
steps of the matching TRL trainer on a tiny local model (CPU, no network).

    python check_dataset.py VERSION_DIR MODEL_DIR [--steps N] [--max-length N] [--only a,b]

Prints one JSON line per config: {config, rows, expected, trainer, steps, losses, ok, error?}.
Exits 1 when any config fails to load on the first try, has other row counts than the card
says, breaks its schema, or does not train.
"""

import argparse
import contextlib
import json
import math
import os
import sys
import tempfile
import traceback

# Everything is local: a loader or trainer that reaches for the network is a failure, not a wait.
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('HF_DATASETS_OFFLINE', '1')
os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')
os.environ.setdefault('TRL_EXPERIMENTAL_SILENCE', '1')

import datasets  # noqa: E402
import transformers  # noqa: E402
import yaml  # noqa: E402

# Columns each format must have, and may have.
COLUMNS = {
    'openai_chat': ({'messages'}, {'tools', 'parallel_tool_calls'}),
    'openai_dpo': ({'input', 'preferred_output', 'non_preferred_output'}, set()),
    'trl_messages': ({'messages'}, {'tools'}),
    'trl_prompt_completion': ({'prompt', 'completion'}, {'tools'}),
    'trl_preference': ({'prompt', 'chosen', 'rejected'}, {'tools'}),
    'trl_kto': ({'prompt', 'completion', 'label'}, {'tools'}),
    'sharegpt': ({'conversations'}, {'system', 'tools', 'chosen', 'rejected', 'kto_tag'}),
    'alpaca': ({'instruction', 'output'}, {'input', 'system', 'history', 'chosen', 'rejected', 'kto_tag'}),
    'reward': ({'prompt', 'completion', 'reward'}, {'tools'}),
}

TRAINERS = {
    'trl_messages': 'SFTTrainer',
    'trl_prompt_completion': 'SFTTrainer',
    'trl_preference': 'DPOTrainer',
    'trl_kto': 'KTOTrainer',
}


def read_card(version_dir):
    with open(os.path.join(version_dir, 'README.md'), encoding='utf-8') as f:
        text = f.read()
    if not text.startswith('---'):
        raise ValueError('README.md has no YAML front matter')
    return yaml.safe_load(text.split('---', 2)[1]) or {}


def expected_rows(card, config):
    infos = card.get('dataset_info') or []
    infos = infos if isinstance(infos, list) else [infos]
    for info in infos:
        if info.get('config_name') == config:
            return {s['name']: s['num_examples'] for s in info.get('splits') or []}
    return None


def schema_problems(config, dataset):
    """Column names, plus the value types loaders of that format rely on."""
    required, optional = COLUMNS[config]
    problems = []
    for split, part in dataset.items():
        columns = set(part.column_names)
        if not required <= columns:
            problems.append(f'{split}: missing columns {sorted(required - columns)}')
        if columns - required - optional:
            problems.append(f'{split}: unexpected columns {sorted(columns - required - optional)}')
        for i, row in enumerate(part):
            problems += [f'{split}[{i}]: {p}' for p in row_problems(config, row)]
    return problems


def row_problems(config, row):
    if config in ('openai_chat', 'openai_dpo'):
        messages = row['messages'] if config == 'openai_chat' else row['input']['messages'] + row['preferred_output'] + row['non_preferred_output']
        for m in messages:
            for call in m.get('tool_calls') or []:
                if not isinstance(call['function']['arguments'], str):
                    yield 'tool call arguments are not a JSON string'
    elif config == 'sharegpt':
        if row.get('tools') is not None and not isinstance(row['tools'], str):
            yield 'tools is not a JSON string'
        if any(t['from'] not in ('human', 'gpt', 'observation', 'function_call', 'system') for t in row['conversations']):
            yield 'unknown from'
    elif config == 'alpaca':
        if not row['instruction'] or not row['output']:
            yield 'empty instruction or output'
    elif config == 'reward':
        if not isinstance(row['reward'], float) or not 0 <= row['reward'] <= 1:
            yield f'reward {row["reward"]!r} is not a float in [0, 1]'
    elif config == 'trl_kto':
        if not isinstance(row['label'], bool):
            yield f'label {row["label"]!r} is not a boolean'


def parquet_checks(version_dir, config, dataset, cache):
    """Each `<config>/<split>.parquet` beside the JSONL: read with the card's features it must give
    the same rows; `self_describing` says whether it also does so alone (HF features in its metadata)."""
    out = {}
    for split, part in dataset.items():
        file = os.path.join(version_dir, config, f'{split}.parquet')
        if not os.path.exists(file):
            continue
        typed = datasets.load_dataset('parquet', data_files=file, features=part.features, split='train', cache_dir=cache)
        alone = datasets.load_dataset('parquet', data_files=file, split='train', cache_dir=cache + '-alone')
        out[split] = {
            'rows': typed.num_rows,
            'same_as_jsonl': typed.num_rows == part.num_rows and typed.to_list() == part.to_list(),
            'self_describing': alone.features == part.features,
        }
    return out


def conversational(dataset):
    first = dataset[0]
    key = 'messages' if 'messages' in first else 'prompt'
    return isinstance(first[key], list)


def train(config, dataset, model_dir, steps, max_length, work):
    import trl
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    common = dict(
        output_dir=work, max_steps=steps, per_device_train_batch_size=2, per_device_eval_batch_size=2,
        learning_rate=1e-3, logging_steps=1, save_strategy='no', report_to='none', use_cpu=True,
        disable_tqdm=True, seed=0, max_length=max_length,
        # Full precision, no checkpointing: bf16 autocast on a CPU whose AMX units the OS withholds dies with SIGILL.
        bf16=False, fp16=False, gradient_checkpointing=False,
    )
    train_split = dataset['train']
    eval_split = dataset.get('validation')
    if config in ('trl_messages', 'trl_prompt_completion'):
        # The template has {% generation %} markers, so conversational rows train on assistant turns only.
        args = trl.SFTConfig(**common, assistant_only_loss=conversational(train_split))
        trainer = trl.SFTTrainer(model=model, args=args, train_dataset=train_split, eval_dataset=eval_split, processing_class=tokenizer)
    elif config == 'trl_preference':
        args = trl.DPOConfig(**common)
        trainer = trl.DPOTrainer(model=model, args=args, train_dataset=train_split, eval_dataset=eval_split, processing_class=tokenizer)
    elif config == 'trl_kto':
        args = trl.KTOConfig(**common)
        trainer = trl.KTOTrainer(model=model, args=args, train_dataset=train_split, eval_dataset=eval_split, processing_class=tokenizer)
    else:
        raise ValueError(f'no trainer for {config}')
    trainer.train()
    losses = [round(e['loss'], 4) for e in trainer.state.log_history if 'loss' in e]
    result = {'steps': trainer.state.global_step, 'losses': losses}
    if eval_split is not None:
        metrics = trainer.evaluate()
        # With every validation completion cut off by --max-length there is nothing to score:
        # transformers then reports no eval_loss, which says the length is too short, not that
        # the dataset is wrong.
        if 'eval_loss' in metrics:
            result['eval_loss'] = round(metrics['eval_loss'], 4)
        else:
            result['eval_note'] = f'no eval loss: every validation completion is beyond --max-length {max_length}'
    return result


def check(version_dir, config, card, model_dir, steps, max_length):
    result = {'config': config, 'rows': None, 'expected': expected_rows(card, config), 'trainer': TRAINERS.get(config), 'ok': False}
    with tempfile.TemporaryDirectory(prefix='tracemint-check-') as work:
        try:
            # A fresh cache: the load must succeed from the files, first try.
            dataset = datasets.load_dataset(version_dir, config, cache_dir=os.path.join(work, 'cache'))
        except Exception as error:  # noqa: BLE001 - any load failure is the finding
            result['error'] = f'load_dataset: {type(error).__name__}: {error}'
            return result
        result['rows'] = {split: part.num_rows for split, part in dataset.items()}
        if result['rows'] != result['expected']:
            result['error'] = f'rows {result["rows"]} differ from the card {result["expected"]}'
            return result
        parquet = parquet_checks(version_dir, config, dataset, os.path.join(work, 'parquet'))
        if parquet:
            result['parquet'] = parquet
            differing = [split for split, p in parquet.items() if not p['same_as_jsonl']]
            if differing:
                result['error'] = f'parquet rows differ from the JSONL rows in {differing}'
                return result
        problems = schema_problems(config, dataset)
        if problems:
            result['error'] = f'schema: {"; ".join(problems[:5])}'
            return result
        if config in TRAINERS:
            try:
                # The trainer prints its logs; stdout carries only the JSON lines.
                with contextlib.redirect_stdout(sys.stderr):
                    result.update(train(config, dataset, model_dir, steps, max_length, os.path.join(work, 'run')))
            except Exception as error:  # noqa: BLE001
                traceback.print_exc(file=sys.stderr)
                result['error'] = f'{TRAINERS[config]}: {type(error).__name__}: {error}'
                return result
            losses = result['losses'] + ([result['eval_loss']] if 'eval_loss' in result else [])
            if result['steps'] != steps or not losses or not all(math.isfinite(x) for x in losses):
                result['error'] = f'expected {steps} steps with finite losses'
                return result
    result['ok'] = True
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('version_dir')
    parser.add_argument('model_dir')
    parser.add_argument('--steps', type=int, default=2)
    parser.add_argument('--max-length', type=int, default=512)
    parser.add_argument('--only', default='', help='comma-separated configs (default: every config in the card)')
    options = parser.parse_args()

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    transformers.logging.set_verbosity_error()
    card = read_card(options.version_dir)
    configs = [c['config_name'] for c in card.get('configs') or []]
    if options.only:
        configs = [c for c in configs if c in options.only.split(',')]
    if not configs:
        print(json.dumps({'config': None, 'ok': False, 'error': 'the card lists no configs'}))
        return 1
    failed = 0
    for config in configs:
        if config not in COLUMNS:
            result = {'config': config, 'ok': False, 'error': 'unknown format'}
        else:
            result = check(options.version_dir, config, card, options.model_dir, options.steps, options.max_length)
        failed += not result['ok']
        print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
