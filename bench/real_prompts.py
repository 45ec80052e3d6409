"""The content signals against real prompts people wrote: how many of the 2,243 in
`data/prompts` (Chatbot Arena questions, MT-Bench turns, self-instruct tasks with their
inputs, first turns of hh-rlhf chats) each content signal counts as strong evidence
(full points), and which. Legitimate text only: a false-positive check, not scoring.

    python bench/real_prompts.py [--show 5]
"""

from __future__ import annotations

import argparse
import ipaddress
from collections import Counter, defaultdict
from pathlib import Path

import gateway
from gateway import observe
from gateway.apis import read_prompt
from gateway.enrich import NetworkFacts
from gateway.identity import Account
from gateway.observation import Observation
from gateway.policy.loader import compile_policy
from gateway.settings import ROOT
from gateway.signals import SIGNALS
from gateway.simulate.data import RealData
from gateway.state.memory import SharedState

# The code of the checkout this script is in: run from another worktree, `python
# bench/<script>.py` imports the installed package instead and would measure that.
if Path(gateway.__file__).resolve().parents[1] != Path(__file__).resolve().parents[1]:
    raise SystemExit(f"this would measure {Path(gateway.__file__).parent}, not this checkout's "
                     f"code: run `python -m bench.{Path(__file__).stem}` from {Path(__file__).parents[1]}")

CONTENT = ("cot_elicitation", "rubric_grading", "preference_data", "bulk_generation", "identity_probe")


def prompts(data: RealData) -> list[tuple[str, str]]:
    out = [("arena", doc["prompt"]) for doc in data.arena]
    for doc in data.mt_bench:
        turns = doc.get("turns")
        out += [("mt-bench", str(turn)) for turn in turns] if isinstance(turns, list) else []
    out += [("self-instruct", text) for text in data.instructions]
    out += [("hh-rlhf", text) for text in data.chats]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=5, help="examples printed per signal")
    args = parser.parse_args()
    policy = compile_policy([ROOT / "policies/default.yaml"])
    network = NetworkFacts(ip=ipaddress.ip_address("81.2.69.160"), country="GB")
    strong: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    texts = prompts(RealData())
    for source, text in texts:
        body = {"model": "m", "messages": [{"role": "user", "content": text}]}
        obs = Observation(id="r", ts=1e9, method="POST", path="/v1/messages", shape="anthropic",
                          headers={}, account=Account(id="a", key_hash=""), network=network,
                          prompt=read_prompt(body), body_bytes=len(text))
        shared = SharedState()
        state = observe.update(shared, obs)
        for name in CONTENT:
            finding = SIGNALS[name].observe(obs, state, shared, policy.signals[name])
            if finding is not None and finding.points == policy.scoring.signals[name].points:
                strong[name] += 1
                examples[name].append(f"  {source}: {finding.evidence[:70]} | {text[:80]!r}")
    print(f"{len(texts)} real prompts; strong evidence per content signal:")
    for name in CONTENT:
        print(f"- {name}: {strong[name]}")
        for line in examples[name][: args.show]:
            print(line)


if __name__ == "__main__":
    main()
