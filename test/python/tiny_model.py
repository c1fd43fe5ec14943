"""Builds a tiny randomly initialised causal LM and its tokenizer entirely locally (no downloads).

    python tiny_model.py OUT_DIR

The tokenizer is a byte-level BPE trained on a few strings, so any text encodes. The chat
template renders system, user, assistant and tool turns and tool calls (arguments as objects or
JSON strings) and wraps assistant output in {% generation %} markers, so TRL's
assistant_only_loss can mask everything else. The model is a 2-layer Llama: the point is that
datasets and trainers accept the data, not that anything is learnt.
"""

import sys

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|im_end|>']

CHAT_TEMPLATE = """
{%- if messages[0].role == 'system' %}{% set system = messages[0].content %}{% set rest = messages[1:] %}
{%- else %}{% set system = '' %}{% set rest = messages %}{% endif %}
{%- if system or tools %}
{{- '<|im_start|>system\\n' + (system or '') }}
{%- if tools %}
{{- '\\n# Tools\\n' }}
{%- for tool in tools %}{{ '\\n' + (tool if tool is string else tool | tojson) }}{% endfor %}
{%- endif %}
{{- '<|im_end|>\\n' }}
{%- endif %}
{%- for message in rest %}
{%- if message.role == 'assistant' %}
{{- '<|im_start|>assistant\\n' }}
{%- generation %}
{{- message.content or '' }}
{%- for call in (message.tool_calls or []) %}
{%- set fn = call.function if call.function is defined else call %}
{{- '\\n<tool_call>{"name": "' + fn.name + '", "arguments": ' }}
{{- fn.arguments if fn.arguments is string else fn.arguments | tojson }}
{{- '}</tool_call>' }}
{%- endfor %}
{{- '<|im_end|>' }}
{%- endgeneration %}
{{- '\\n' }}
{%- elif message.role == 'tool' %}
{{- '<|im_start|>tool\\n' + (message.content or '') + '<|im_end|>\\n' }}
{%- else %}
{{- '<|im_start|>' + message.role + '\\n' + (message.content or '') + '<|im_end|>\\n' }}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}
""".strip()

CORPUS = [
    'You are a coding agent working in a git repository.',
    'def add(a, b):\n    return a + b\n',
    'Run the tests and read the README. npm test passes; git diff --cached shows staged changes.',
    '<tool_call>{"name": "Read", "arguments": {"path": "calc.py"}}</tool_call>',
    '{"type": "function", "function": {"name": "Bash", "parameters": {"type": "object", "properties": {}}}}',
    'system user assistant tool The the a an is of to in and for with on that this it',
]


def build_tokenizer() -> PreTrainedTokenizerFast:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=512, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(CORPUS * 4, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        eos_token='<|im_end|>',
        pad_token='<|endoftext|>',
        model_max_length=4096,
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def build(out_dir: str) -> None:
    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model = LlamaForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: tiny_model.py OUT_DIR')
    build(sys.argv[1])
    print(sys.argv[1])
