"""Who sends traffic: legitimate personas (hard negatives included) and campaign
personas from the disclosures. Each persona yields one account's requests in time
order; the generator merges the streams."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gateway.simulate.data import RealData

OPENAI_HEADERS = {
    "user-agent": "OpenAI/Python 1.99.1", "x-stainless-lang": "python",
    "x-stainless-package-version": "1.99.1", "x-stainless-os": "Linux",
    "x-stainless-runtime": "CPython", "x-stainless-runtime-version": "3.12.4",
}
ANTHROPIC_HEADERS = {
    "user-agent": "Anthropic/Python 0.64.0", "anthropic-version": "2023-06-01",
    "x-stainless-lang": "python", "x-stainless-package-version": "0.64.0",
}
RESTRICTED = {"CN", "RU", "IR", "KP", "SY", "CU"}
BROWSER_APP_HEADERS = {"user-agent": "Mozilla/5.0 (Macintosh) chat-app/2.3"}

AGENT_TOOLS = [
    {"name": "read_file", "description": "Read a file", "input_schema": {"type": "object",
     "properties": {"path": {"type": "string"}}}},
    {"name": "write_file", "description": "Write a file", "input_schema": {"type": "object",
     "properties": {"path": {"type": "string"}, "content": {"type": "string"}}}},
    {"name": "run_shell", "description": "Run a command", "input_schema": {"type": "object",
     "properties": {"cmd": {"type": "string"}}}},
]

# A popular open-source coding agent that many unrelated people run with their own
# keys: every request carries the app's long system prompt and tool set verbatim, at
# the app's max_tokens. The hard negative for template and tool reuse across accounts.
APP_SYSTEM = (
    "You are Quill, a pair-programming assistant running inside the user's editor. You can "
    "read and search files in the open workspace, run shell commands after the user approves "
    "them, and propose edits as whole-file writes. Work in small steps: inspect before you "
    "change anything, prefer the project's existing style and libraries, and never invent "
    "file contents you have not read. When a command fails, read its output and adapt rather "
    "than retrying blindly. Ask a follow-up question only when the task is ambiguous in a way "
    "the workspace cannot answer. Keep explanations short; the user sees your tool calls. "
    "Respect .gitignore, do not touch files outside the workspace, and never print secrets "
    "found in environment files. When the task is done, summarise what changed and how to "
    "verify it.")
APP_HEADERS = {"user-agent": "Quill/1.8.2 (vscode 1.96; node 20)", "x-stainless-lang": "js",
               "x-stainless-package-version": "4.77.0"}
APP_TOOLS = [
    {"name": "read_file", "description": "Read a file in the workspace.",
     "input_schema": {"type": "object", "properties": {"path": {"type": "string"}},
                      "required": ["path"]}},
    {"name": "search_files", "description": "Regex search across the workspace.",
     "input_schema": {"type": "object", "properties": {"pattern": {"type": "string"},
                                                       "glob": {"type": "string"}},
                      "required": ["pattern"]}},
    {"name": "execute_command", "description": "Run a shell command after approval.",
     "input_schema": {"type": "object", "properties": {"command": {"type": "string"}},
                      "required": ["command"]}},
    {"name": "write_to_file", "description": "Write a whole file.",
     "input_schema": {"type": "object", "properties": {"path": {"type": "string"},
                                                       "content": {"type": "string"}},
                      "required": ["path", "content"]}},
    {"name": "ask_followup_question", "description": "Ask the user a question.",
     "input_schema": {"type": "object", "properties": {"question": {"type": "string"}},
                      "required": ["question"]}},
]
# Teachers who have the model grade their students' answers with a rubric prompt
# copied from a teachers' forum (so unrelated teachers send the same wording): the hard
# negative for rubric grading. They grade between ordinary questions and ask about a
# grade afterwards.
TEACHER_TEMPLATE = ("Grade this student's answer on a scale of 1 to 10 using the rubric: "
                    "accuracy (4), reasoning (3), clarity (3). Give the score and one line of "
                    "feedback.\n\nQuestion: {task}\nStudent answer: {answer}")
TEACHER_FOLLOWUPS = ["Why not a higher score?", "Can you make the feedback kinder?",
                     "What would a 10/10 answer add?", "Is that too harsh for a 14-year-old?"]
# People with a saved prompt of their own trade, found online or shared by colleagues
# (test data, product copy variants, lesson questions): the same wording from unrelated
# accounts, many items asked for at once. The hard negative for bulk generation.
SAVED_FOLLOWUPS = ["Give me ten more.", "Make them shorter.", "Change the tone to formal.",
                   "Add one in Spanish too."]
# A casual user's follow-ups in a chat; clients that trim the conversation send this
# many user turns (a third of clients, as some chat apps do to bound context).
CHAT_FOLLOWUPS = ["Can you explain that more simply?", "Thanks! And what about the second part?",
                  "Could you give an example?", "Make it shorter please.", "Why is that?",
                  "Can you put that in a table?"]
CHAT_WINDOW = 3
# A conversing hydra's follow-ups: more of the same harvest, in one conversation.
HARVEST_FOLLOWUPS = ["Go one level deeper on the hardest step.",
                     "Now solve a harder variant of it the same way.",
                     "Check each step again and correct any slip.",
                     "Expand the second step in full."]
# What the model answered and what the person then asked, by persona.
FOLLOWUPS = {"teacher": ("Score: 7/10. Clear but incomplete.", TEACHER_FOLLOWUPS),
             "saved_prompt": ("1. ...\n2. ...\n3. ...", SAVED_FOLLOWUPS)}
# Researchers running one public benchmark harness at different organisations: the
# same step-by-step template, the same questions in the same order, temperature 0,
# one job of an hour or two. The hard negative for a shared CoT template.
EVAL_TEMPLATE = ("Work through the following problem step by step, explaining your reasoning. "
                 "The last line of your response must read 'Answer: ' followed by the final "
                 "answer and nothing else.\n\n{task}")
EVAL_QUESTIONS = 400

APP_FILES = ["src/app.py", "README.md", "package.json", "src/index.ts", "tests/test_api.py",
             "Makefile", "src/utils/format.ts", "pyproject.toml"]


@dataclass
class Account:
    key: str
    account: str
    org: str | None
    created: float
    billing_country: str
    plan: str

    def directory_line(self) -> dict[str, Any]:
        return {"key_sha256": hashlib.sha256(self.key.encode()).hexdigest(),
                "account": self.account, "org": self.org, "created": self.created,
                "billing_country": self.billing_country, "plan": self.plan}


@dataclass
class Spec:
    """One persona's parameters, from the scenario file."""

    persona: str
    kind: str  # legit | campaign | restricted
    accounts: int
    rate: tuple[float, float] = (1.0, 6.0)  # requests per active hour, per account
    campaign: str | None = None
    countries: list[str] = field(default_factory=lambda: ["US", "GB", "DE", "FR", "JP", "BR",
                                                          "IN", "CA", "AU", "NL"])
    network: str = "residential"  # residential | datacenter | vpn | tor | mobile | proxy_pool
    pool: int = 0  # proxy exits shared by the persona's accounts
    org_size: int = 0  # accounts per organisation (shared NAT)
    plan: str = "build"
    lifetime: int = 0  # requests per campaign account before a replacement takes over
    mix: float = 0.0  # share of ordinary prompts mixed into campaign traffic
    pivot_at: float | None = None  # hours into the run when a campaign jumps model
    api: str = "mixed"  # openai | anthropic | mixed
    billing_country: str | None = None
    # Campaign wording as data: `{task}` and `{answer}` are filled from real prompts
    # and answers; several templates are rotated (paraphrasing costs the attacker).
    system: str | None = None
    templates: list[str] = field(default_factory=list)
    # The client's own headers (user agent, SDK headers) instead of the stock SDK's.
    client: dict[str, str] | None = None
    # Accounts registered together in groups of this size, within `batch_spread`
    # seconds: a hydra's pre-registered pool, or honest people told to sign up at once
    # (a class in a lecture, a launch-day rush). 0: each account registers on its own.
    batch: int = 0
    batch_spread: float = 300.0
    # Account age at the start, in days [low, high]; by default campaigns' accounts are
    # days old and honest ones months to years.
    age: tuple[float, float] | None = None
    # Share of a campaign's harvesting requests sent with a made-up earlier exchange (a
    # user turn and an answer), to pass as an interactive client.
    history: float = 0.0
    # Share of a campaign's harvesting requests that continue its own last harvesting
    # exchange (the turn it sent, the answer, one more question): a hydra passing as an
    # interactive client by conversing for real, at the cost of those requests.
    followups: float = 0.0
    # Accounts driven by one dispatcher in groups of this size: each round goes to every
    # member of the group within a fraction of a second. 0: each account on its own.
    lockstep: int = 0

    def __post_init__(self) -> None:
        # Scenario files are hand-written: a wrong type must be a clear error here, not
        # a stack trace deep in the generator.
        if self.kind not in ("legit", "campaign", "restricted"):
            raise ValueError(f"kind must be legit, campaign or restricted, not {self.kind!r}")
        known = CAMPAIGN_PROMPTS if self.kind == "campaign" else HONEST_PERSONAS
        if self.persona not in known:
            raise ValueError(f"persona {self.persona!r} is not a {self.kind} persona "
                             f"(known: {', '.join(sorted(known))})")
        if self.persona == "saved_prompt" and not self.templates:
            raise ValueError("a saved_prompt persona needs its templates (the saved prompts)")
        if not isinstance(self.batch, int) or self.batch < 0:
            raise ValueError(f"batch must be a whole number >= 0, not {self.batch!r}")
        if not isinstance(self.lockstep, int) or self.lockstep < 0:
            raise ValueError(f"lockstep must be a whole number >= 0, not {self.lockstep!r}")
        for share in ("history", "followups"):
            value = getattr(self, share)
            if not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ValueError(f"{share} must be a share from 0 to 1, not {value!r}")
        if not isinstance(self.batch_spread, (int, float)) or self.batch_spread < 0:
            raise ValueError(f"batch_spread must be seconds >= 0, not {self.batch_spread!r}")
        for name in ("rate", "age"):
            pair = getattr(self, name)
            if pair is None:
                continue
            if (len(pair) != 2 or not all(isinstance(x, (int, float)) for x in pair)
                    or not 0 <= pair[0] <= pair[1]):
                raise ValueError(f"{name} must be [low, high] with 0 <= low <= high, not {list(pair)}")


class Context:
    def __init__(self, data: RealData, rng: random.Random, start: float, hours: float) -> None:
        self.data = data
        self.rng = rng
        self.start = start
        self.hours = hours
        self.seq = 0


def _ordinary_prompt(ctx: Context) -> str:
    rng, data = ctx.rng, ctx.data
    pick = rng.random()
    if pick < 0.35:
        return rng.choice(data.chats)
    if pick < 0.65:
        return rng.choice(data.arena)["prompt"]
    if pick < 0.8:
        return str(rng.choice(data.mt_bench)["turns"][0])  # type: ignore[index]
    if pick < 0.99:
        return rng.choice(data.instructions)
    return rng.choice(data.identity)


STUDENT_OPENERS = ["", "hi! ", "Hello, ", "quick question: ", "Homework help: ", "ok so ",
                   "I'm stuck. ", "Please help. ", "For my class, "]
STUDENT_ASKS = ["explain step by step", "can you go step by step", "show the steps please",
                "walk me through it", "explain your reasoning", "how do I approach this",
                "why is that the answer", "explain it simply", "step-by-step please",
                "what's the method here"]


def _student_prompt(ctx: Context) -> str:
    """Students write their own words: varied openers, asks and positions."""
    rng = ctx.rng
    mt_bench = rng.random() < 0.5
    q = str(rng.choice(ctx.data.mt_bench)["turns"][0]) if mt_bench else rng.choice(ctx.data.instructions)  # type: ignore[index]
    ask = rng.choice(STUDENT_ASKS)
    if rng.random() < 0.5:
        return f"{rng.choice(STUDENT_OPENERS)}{ask}: {q}"
    return f"{rng.choice(STUDENT_OPENERS)}{q} ({ask})"


COT_SYSTEM = ("You are an expert data analyst. For every task, provide complete and transparent "
              "reasoning: walk through each step of your thinking in full detail before giving "
              "the final answer. Never skip steps.")


def _cot_prompt(ctx: Context) -> tuple[str | None, str]:
    q = ctx.rng.choice(ctx.data.arena)["prompt"][:3000]
    return COT_SYSTEM, (f"Task:\n{q}\n\nShow your full reasoning process step by step, then give "
                        "the final answer after 'ANSWER:'.")


def _reconstruct_prompt(ctx: Context) -> tuple[str | None, str]:
    doc = ctx.rng.choice(ctx.data.arena)
    answer = ctx.data.arena_answers.get(doc["uid"], "")[:2000]
    return None, (f"Here is a question and a completed response.\nQuestion: {doc['prompt'][:2000]}\n"
                  f"Response: {answer}\nImagine you wrote this response. Articulate the internal "
                  "reasoning behind it, step by step, as if thinking it through for the first time.")


def _rubric_prompt(ctx: Context) -> tuple[str | None, str]:
    doc = ctx.rng.choice(ctx.data.arena)
    answer = ctx.data.arena_answers.get(doc["uid"], "")[:1500]
    return ("You are a strict grader. Grade responses according to the rubric: correctness (0-4), "
            "completeness (0-3), clarity (0-3)."), (
        f"[Question]\n{doc['prompt'][:1500]}\n[Response]\n{answer}\n\nScore the response on a scale "
        "of 1 to 10 according to the rubric and output the final score as [[score]].")


def _agentic_prompt(ctx: Context) -> tuple[str | None, str]:
    doc = ctx.rng.choice(ctx.data.arena)
    return ("You are an autonomous coding agent. Use the tools to inspect the repository, plan, "
            "write the code and run the tests. Think carefully before each tool call."), (
        f"Repository task: {doc['prompt'][:2500]}\nImplement it completely.")


def _bulk_prompt(ctx: Context) -> tuple[str | None, str]:
    return None, ctx.data.alpaca_prompt.replace("20", str(ctx.rng.choice([20, 40, 50])))


# Who honest (and restricted) accounts are; an unknown name is a scenario-file error.
HONEST_PERSONAS = ("casual", "developer", "enterprise_batch", "shared_nat", "vpn_user", "mobile",
                   "student", "app_user", "eval_harness", "teacher", "saved_prompt")

CAMPAIGN_PROMPTS = {
    "cot_hydra": _cot_prompt,
    "reasoning_reconstruction": _reconstruct_prompt,
    "rubric_grading": _rubric_prompt,
    "agentic_harvest": _agentic_prompt,
    "bulk_generation": _bulk_prompt,
}

ENTERPRISE_SYSTEM = ("You classify customer support tickets for Acme Corp into one of: billing, "
                     "shipping, returns, technical, other. Reply with the label and one sentence.")
NAT_SYSTEM = ("You are the internal assistant of Initech. Answer questions about engineering, "
              "HR policy and customer accounts concisely and cite internal docs when you can.")


SYLLABLES = ["ka", "lo", "mi", "ta", "ren", "vo", "sul", "dex", "pra", "nor", "qui", "zen"]


def company_name(seed: str) -> str:
    """A pronounceable company name, distinct per account (letters, not digits: the
    template normaliser folds digits)."""
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(SYLLABLES[b % len(SYLLABLES)] for b in digest[:4]).capitalize() + " Ltd"


def _body(api: str, model: str, system: str | None, user: str, max_tokens: int, stream: bool,
          extra: dict[str, Any] | None = None) -> dict[str, Any]:
    if api == "anthropic":
        body: dict[str, Any] = {"model": model, "max_tokens": max_tokens,
                                "messages": [{"role": "user", "content": user}]}
        if system:
            body["system"] = system
    else:
        messages = ([{"role": "system", "content": system}] if system else []) + [
            {"role": "user", "content": user}]
        body = {"model": model, "max_tokens": max_tokens, "messages": messages}
    if stream:
        body["stream"] = True
    body.update(extra or {})
    return body


def _openai_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "function", "function": {"name": t["name"], "description": t["description"],
                                              "parameters": t["input_schema"]}} for t in tools]


def _app_body(api: str, model: str, system: str, task: str, steps: list[tuple[str, str, str]],
              max_tokens: int, stream: bool, thinking: bool) -> dict[str, Any]:
    """One request of an agent loop: the task, then each step's tool call and its
    result so far, in the API's own shape."""
    messages: list[dict[str, Any]] = []
    if api == "anthropic":
        messages.append({"role": "user", "content": task})
        for n, (tool, arg, result) in enumerate(steps):
            call = f"toolu_{n:02d}"
            messages.append({"role": "assistant", "content": [
                {"type": "text", "text": "Let me look."},
                {"type": "tool_use", "id": call, "name": tool, "input": {"arg": arg}}]})
            messages.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": call, "content": result}]})
        body: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "system": system,
                                "messages": messages, "tools": APP_TOOLS}
        if thinking:
            body["thinking"] = {"type": "enabled", "budget_tokens": 4096}
    else:
        messages += [{"role": "system", "content": system}, {"role": "user", "content": task}]
        for n, (tool, arg, result) in enumerate(steps):
            call = f"call_{n:02d}"
            messages.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": call, "type": "function",
                 "function": {"name": tool, "arguments": json.dumps({"arg": arg})}}]})
            messages.append({"role": "tool", "tool_call_id": call, "content": result})
        body = {"model": model, "max_tokens": max_tokens, "messages": messages,
                "tools": _openai_tools(APP_TOOLS)}
    if stream:
        body["stream"] = True
    return body


def _active(ctx: Context, ts: float, offset_hours: float) -> bool:
    """Honest people sleep: active roughly 07:00 to 23:00 in their own time zone."""
    hour = ((ts / 3600) + offset_hours) % 24
    return 7 <= hour < 23


def _arrivals(ctx: Context, rate_per_hour: float, diurnal: bool, offset: float,
              regular: bool = False, burst: bool = True) -> Iterator[float]:
    rng = ctx.rng
    end = ctx.start + ctx.hours * 3600
    ts = ctx.start + rng.random() * min(3600.0, ctx.hours * 3600 / 4)
    session_left = 0
    while ts < end:
        if diurnal and not _active(ctx, ts, offset):
            ts += 1800 + rng.random() * 1800
            continue
        if regular:
            ts += (3600 / rate_per_hour) * (0.9 + 0.2 * rng.random())
        elif burst:
            # People work in sessions: a few requests close together, then a pause.
            if session_left <= 0:
                session_left = 1 + int(rng.expovariate(1 / 4))
                ts += rng.expovariate(rate_per_hour / 3600 / 5) if rate_per_hour else 3600
            else:
                ts += 5 + rng.expovariate(1 / 40)
            session_left -= 1
        else:
            ts += rng.expovariate(rate_per_hour / 3600)
        if ts < end:
            yield ts


def _tokens(ctx: Context, harvest: bool) -> tuple[int, int]:
    inp, out = ctx.rng.choice(ctx.data.token_lengths)
    if harvest:
        out = min(8192, max(out, 400) * 3)
    return inp, max(1, out)


def persona_streams(spec: Spec, ctx: Context, accounts_out: list[Account],
                    prefix: str | None = None) -> list[Iterator[tuple[float, dict[str, Any]]]]:
    """One iterator of (ts, record) per account of this persona; account names start
    with `prefix` (by default the campaign's or the persona's name)."""
    rng = ctx.rng
    streams = []
    pool: list[str] = []
    schedules: dict[int, list[float]] = {}  # lockstep group -> the dispatcher's rounds
    if spec.pool:
        country_choices = spec.countries
        pool = [ctx.data.residential_ip(rng, rng.choice(country_choices)) for _ in range(spec.pool)]
    org_ip: dict[str, str] = {}
    prefix = prefix or spec.campaign or spec.persona
    first = len(accounts_out)
    heads = max(1, spec.accounts)
    for i in range(heads):
        org = None
        if spec.org_size:
            org = f"org-{prefix}-{i // spec.org_size}"
        elif spec.kind == "legit":
            org = f"org-{prefix}-{i}"
        country = rng.choice(spec.countries)
        low, high = spec.age or ((1, 5) if spec.kind == "campaign" else (30, 900))
        created = ctx.start - rng.uniform(low, high) * 86400
        account = Account(
            key=f"sk-{prefix}-{i}-{rng.getrandbits(48):012x}", account=f"{prefix}-{i}",
            org=org, created=created, billing_country=spec.billing_country or country,
            plan=spec.plan,
        )
        accounts_out.append(account)
        if spec.network == "proxy_pool":
            ip = pool[i % len(pool)]
        elif spec.network == "datacenter":
            ip = ctx.data.ip_outside(rng, ctx.data.datacenter, RESTRICTED)
        elif spec.network == "vpn":
            ip = ctx.data.ip_outside(rng, ctx.data.vpn, RESTRICTED)
        elif spec.network == "tor":
            ip = ctx.data.ip_in(rng, ctx.data.tor)
        elif spec.org_size:
            ip = org_ip.setdefault(org or "", ctx.data.residential_ip(rng, country))
        else:
            ip = ctx.data.residential_ip(rng, country)
        # Replacement heads are registered up front (the accounts directory is complete
        # before the first request, so `simulate --out -` can write it first).
        replacements: list[Account] = []
        if spec.kind == "campaign" and spec.lifetime:
            per_hour = spec.rate[1]
            for g in range(1, int(ctx.hours * per_hour / spec.lifetime) + 2):
                due = ctx.start + g * spec.lifetime / per_hour * 3600
                replacements.append(Account(
                    key=f"{account.key}-r{g}", account=f"{account.account}-r{g}", org=None,
                    created=due - rng.uniform(600, 86400), billing_country=account.billing_country,
                    plan=account.plan))
            accounts_out.extend(replacements)
        rounds = None
        if spec.lockstep:
            group = i // spec.lockstep
            if group not in schedules:
                # The dispatcher's rounds, shared by the group (its own random stream).
                clock = Context(ctx.data, random.Random(rng.getrandbits(64)), ctx.start, ctx.hours)
                schedules[group] = list(_arrivals(clock, rng.uniform(*spec.rate), False, 0, burst=False))
            rounds = schedules[group]
        streams.append(_account_stream(spec, ctx, account, ip, country, i, replacements,
                                       random.Random(rng.getrandbits(64)), rounds))
    if spec.batch:
        _register_in_batches(accounts_out[first:], spec.batch, spec.batch_spread, rng)
    return streams


def _register_in_batches(accounts: list[Account], size: int, spread: float,
                         rng: random.Random) -> None:
    """Pull creation times together: each group of `size` (in creation order) is
    registered within `spread` seconds from its earliest member's time, so no account
    is created later than it would have been (never after its first request)."""
    ordered = sorted(accounts, key=lambda a: a.created)
    for at in range(0, len(ordered), size):
        group = ordered[at:at + size]
        base = group[0].created
        for account in group:
            account.created = min(account.created, base + rng.uniform(0, spread))


def _account_stream(spec: Spec, ctx: Context, account: Account, ip: str, country: str, index: int,
                    heads: list[Account], rng: random.Random,
                    rounds: list[float] | None = None) -> Iterator[tuple[float, dict[str, Any]]]:
    local = Context(ctx.data, rng, ctx.start, ctx.hours)
    rate = rng.uniform(*spec.rate)
    campaign = spec.kind == "campaign"
    offset = {"US": -6, "BR": -3, "CA": -5, "MX": -6, "GB": 0, "DE": 1, "FR": 1, "NL": 1,
              "ES": 1, "IN": 5.5, "JP": 9, "KR": 9, "AU": 10, "SG": 8, "CN": 8, "RU": 3,
              "IR": 3.5, "KP": 9, "SY": 3, "CU": -5}.get(country, 0)
    api = spec.api if spec.api != "mixed" else rng.choice(["openai", "anthropic"])
    if spec.lockstep and spec.api == "mixed":
        api = ("openai", "anthropic")[index // spec.lockstep % 2]  # one dispatcher, one client
    headers_base = dict(OPENAI_HEADERS if api == "openai" else ANTHROPIC_HEADERS)
    if spec.persona == "casual":
        headers_base = dict(BROWSER_APP_HEADERS)
    if spec.persona == "app_user":
        headers_base = dict(APP_HEADERS)
    if spec.client is not None:
        headers_base = dict(spec.client)
    path = "/v1/chat/completions" if api == "openai" else "/v1/messages"
    regular = spec.persona in ("enterprise_batch", "eval_harness")
    diurnal = not campaign and not regular
    served = 0
    current = account
    generation = 0
    last_ts = ctx.start
    # app_user: the agent loop in progress (its task and the tool steps so far); some
    # people turn extended thinking on in the app's settings and leave it on.
    task, steps, task_left = "", list[tuple[str, str, str]](), 0
    thinking = spec.persona == "app_user" and api == "anthropic" and rng.random() < 0.3
    # An evaluation job: one run through the benchmark, started at some point of the day.
    job_start = (ctx.start + rng.random() * max(0.0, ctx.hours - 2) * 3600
                 if spec.persona == "eval_harness" else ctx.start)
    job_done = 0
    graded = ""  # a teacher's (or saved-prompt user's) last request on the template
    harvested = ("", "")  # a conversing hydra's last harvesting turn and its answer
    # A casual user chats: the conversation so far (earlier turns and answers), and
    # whether their client sends only the last few turns.
    chat: list[dict[str, str]] = []
    window = CHAT_WINDOW if spec.persona == "casual" and rng.random() < 0.3 else 0
    # Rounds can fall closer together than the jitter: each member's times stay in order.
    arrivals = (sorted(t + rng.uniform(0, 0.15) for t in rounds) if rounds is not None
                else _arrivals(local, rate, diurnal, offset, regular=regular, burst=not campaign))
    for ts in arrivals:
        if spec.persona == "eval_harness" and (ts < job_start or job_done >= EVAL_QUESTIONS):
            continue
        if campaign and spec.lifetime and served >= spec.lifetime and generation < len(heads):
            # The hydra grows a new head: same workload, fresh account.
            current = heads[generation]
            generation += 1
            served = 0
            harvested = ("", "")
        served += 1
        if spec.network == "mobile" and rng.random() < 0.3:
            ip = local.data.residential_ip(rng, country)
        if spec.network == "vpn" and rng.random() < 0.05:
            ip = local.data.ip_outside(rng, local.data.vpn, RESTRICTED)  # a new VPN server
        model = "frontier-2"
        if spec.pivot_at is not None and ts >= ctx.start + spec.pivot_at * 3600:
            model = "frontier-3"  # the newly released model
        extra: dict[str, Any] = {}
        follow: list[dict[str, str]] = []  # turns after the user's own first one
        max_tokens = rng.choice([256, 512, 1024, 2048])
        stream = rng.random() < 0.4
        if campaign and rng.random() >= spec.mix:
            if spec.templates:
                doc = rng.choice(local.data.arena)
                answer = local.data.arena_answers.get(doc["uid"], "")[:1500]
                system = spec.system
                user = rng.choice(spec.templates).format(task=doc["prompt"][:2500], answer=answer)
            else:
                system, user = CAMPAIGN_PROMPTS[spec.persona](local)
                answer = ""
            if spec.followups and harvested[0] and rng.random() < spec.followups:
                user = harvested[0]
                follow = [{"role": "assistant", "content": harvested[1]},
                          {"role": "user", "content": rng.choice(HARVEST_FOLLOWUPS)}]
            else:
                harvested = (user, answer or "Step 1: ...\nStep 2: ...\nAnswer: ...")
            max_tokens = 8192
            if spec.persona == "agentic_harvest":
                extra["tools"] = AGENT_TOOLS if api == "anthropic" else _openai_tools(AGENT_TOOLS)
            if api == "anthropic" and spec.persona in ("cot_hydra", "agentic_harvest"):
                extra["thinking"] = {"type": "enabled", "budget_tokens": 4096}
            harvest = True
        elif spec.persona == "enterprise_batch":
            # Each company has its own template (its own name, its own labels).
            system = ENTERPRISE_SYSTEM.replace("Acme Corp", company_name(account.account))
            user = "Ticket:\n" + rng.choice(local.data.chats)[:1500]
            extra["temperature"] = 0
            harvest = False
        elif spec.persona == "eval_harness":
            # Everyone's harness asks the same questions in the same order.
            doc = local.data.arena[job_done * 7 % len(local.data.arena)]
            system, user = None, (spec.templates[0] if spec.templates else EVAL_TEMPLATE).format(
                task=doc["prompt"][:3000], answer="")
            job_done += 1
            max_tokens = 4096
            extra["temperature"] = 0
            harvest = False
        elif spec.persona == "student":
            system, user = None, _student_prompt(local)
            harvest = False
        elif spec.persona in ("teacher", "saved_prompt") and rng.random() >= spec.mix:
            # Each keeps the one prompt they found (a teacher's rubric prompt); `mix` is
            # the share of their ordinary questions, as for campaigns. Some answers are
            # questioned afterwards: the same conversation, one turn on.
            if graded and rng.random() < 0.3:
                user = graded
                reply, asks = FOLLOWUPS[spec.persona]
                follow = [{"role": "assistant", "content": reply},
                          {"role": "user", "content": rng.choice(asks)}]
            else:
                templates = spec.templates or [TEACHER_TEMPLATE]
                doc = rng.choice(local.data.arena)
                answer = local.data.arena_answers.get(doc["uid"], "")[:1200]
                user = graded = templates[index % len(templates)].format(
                    task=doc["prompt"][:1500], answer=answer)
            system = None
            harvest = False
        elif spec.persona == "shared_nat" and rng.random() < 0.5:
            system, user = NAT_SYSTEM, _ordinary_prompt(local)
            harvest = False
        elif spec.persona == "casual" and chat and ts - last_ts < 1800 and rng.random() < 0.5:
            # The same conversation, one turn on: a follow-up or a new question in it.
            system, harvest = None, False
            user = rng.choice(CHAT_FOLLOWUPS) if rng.random() < 0.6 else _ordinary_prompt(local)
            doc = rng.choice(local.data.arena)
            reply = local.data.arena_answers.get(doc["uid"], "")[:800] or "OK."
            follow = [{"role": "assistant", "content": reply}, {"role": "user", "content": user}]
        else:
            system, user = None, _ordinary_prompt(local)
            harvest = False
            chat = []
        inp, out = _tokens(local, harvest)
        if spec.persona == "app_user":
            # A new task after a pause, or when the app starts a fresh context.
            if task_left <= 0 or ts - last_ts > 900 or len(steps) >= 12:
                task, steps, task_left = _ordinary_prompt(local)[:4000], [], 1 + int(rng.expovariate(1 / 5))
            else:
                tool = str(rng.choice(APP_TOOLS[:4])["name"])
                # A file's or a command's output: real model answers stand in (often code).
                doc = rng.choice(local.data.arena)
                output = local.data.arena_answers.get(doc["uid"], "") or doc["prompt"]
                steps.append((tool, rng.choice(APP_FILES), output[:1200]))
            task_left -= 1
            body = _app_body(api, model, spec.system or APP_SYSTEM, task, steps, 8192, stream,
                             thinking)
        else:
            body = _body(api, model, system, user[:12000], max_tokens, stream, extra)
            if spec.persona == "casual":
                if follow:
                    # Earlier turns of this conversation, then the new one.
                    chat += follow
                    sent = chat[1 - 2 * window:] if window and len(chat) > 2 * window else chat
                    body["messages"] = [*body["messages"][:-1], *sent]
                else:
                    chat = list(body["messages"][-1:])
            else:
                body["messages"].extend(follow)
            if campaign and harvest and spec.history and rng.random() < spec.history:
                doc = rng.choice(local.data.arena)
                earlier = [{"role": "user", "content": doc["prompt"][:1500]},
                           {"role": "assistant",
                            "content": local.data.arena_answers.get(doc["uid"], "")[:1500] or "OK."}]
                at = 1 if body["messages"][0]["role"] == "system" else 0
                body["messages"][at:at] = earlier
        last_ts = ts
        headers = dict(headers_base)
        if api == "openai":
            headers["authorization"] = f"Bearer {current.key}"
        else:
            headers["x-api-key"] = current.key
        headers["content-type"] = "application/json"
        label: dict[str, Any] = {"kind": spec.kind, "actor": current.account,
                                 "persona": spec.persona}
        if campaign:
            label["campaign"] = spec.campaign
        yield ts, {
            "ts": round(ts, 3), "client_ip": ip, "method": "POST", "path": path,
            "headers": headers, "body": body,
            "response": {"status": 200, "usage": {"input_tokens": inp, "output_tokens": out}},
            "label": label,
        }



