"""Real data the simulator draws from: prompts, token lengths from the Azure LLM
traces, and IP ranges by country (country database) and by network type (lists)."""

from __future__ import annotations

import csv
import gzip
import ipaddress
import json
import random
import re
from functools import cached_property
from pathlib import Path

import maxminddb

from gateway.enrich.networks import read_cidrs
from gateway.settings import DATA

Net = ipaddress.IPv4Network | ipaddress.IPv6Network


class RealData:
    def __init__(self, root: Path = DATA) -> None:
        self.root = root

    @cached_property
    def arena(self) -> list[dict[str, str]]:
        path = self.root / "prompts/arena-hard/arena-hard-v0.1-question.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    @cached_property
    def arena_answers(self) -> dict[str, str]:
        path = self.root / "prompts/arena-hard/arena-hard-v0.1-answer-gpt-4-0314.jsonl"
        out: dict[str, str] = {}
        for line in path.read_text().splitlines():
            doc = json.loads(line)
            # Arena-hard v0.1's file: the answer is the assistant message's "answer"
            # (older releases kept it under choices[0].turns[0].content).
            answer: object = None
            for message in doc.get("messages") or []:
                if isinstance(message, dict) and message.get("role") == "assistant":
                    content = message.get("content")
                    answer = content.get("answer") if isinstance(content, dict) else content
            if answer is None:
                try:
                    answer = doc["choices"][0]["turns"][0]["content"]
                except (KeyError, IndexError, TypeError):
                    continue
            key = doc.get("uid") or doc.get("question_id")
            if isinstance(key, str) and isinstance(answer, str):
                out[key] = answer
        return out

    @cached_property
    def mt_bench(self) -> list[dict[str, object]]:
        path = self.root / "prompts/mt-bench/mt_bench_question.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    @cached_property
    def instructions(self) -> list[str]:
        out: list[str] = []
        for name in ("user_oriented_instructions.jsonl", "seed_tasks.jsonl"):
            for line in (self.root / "prompts/self-instruct" / name).read_text().splitlines():
                doc = json.loads(line)
                inst = doc.get("instruction", "")
                instances = doc.get("instances") or [{}]
                text = instances[0].get("input", "") if isinstance(instances[0], dict) else ""
                out.append(f"{inst}\n\n{text}".strip())
        return out

    @cached_property
    def chats(self) -> list[str]:
        path = self.root / "prompts/hh-rlhf/harmless-base-test-part1.jsonl.gz"
        out: list[str] = []
        with gzip.open(path, "rt") as handle:
            for line in handle:
                turns = re.findall(r"Human: (.*?)(?:\n\nAssistant:|$)", json.loads(line)["chosen"], re.S)
                out.extend(t.strip() for t in turns[:1] if t.strip())
        return out

    @cached_property
    def identity(self) -> list[str]:
        doc = json.loads((self.root / "prompts/identity/identity.json").read_text())
        return [d["instruction"] for d in doc]

    @cached_property
    def alpaca_prompt(self) -> str:
        return (self.root / "prompts/alpaca-generation/prompt.txt").read_text()

    @cached_property
    def token_lengths(self) -> list[tuple[int, int]]:
        out = []
        for name in ("AzureLLMInferenceTrace_conv.csv", "AzureLLMInferenceTrace_code.csv"):
            with (self.root / "traces" / name).open() as handle:
                for row in csv.DictReader(handle):
                    out.append((int(row["ContextTokens"]), int(row["GeneratedTokens"])))
        return out

    @cached_property
    def _country_nets(self) -> dict[str, list[Net]]:
        reader = maxminddb.open_database(str(self.root / "geoip/country/geo-whois-asn-country.mmdb"))
        nets: dict[str, list[Net]] = {}
        for net, record in reader:
            if net.version != 4 or not isinstance(record, dict):
                continue
            code = record.get("country_code")
            if isinstance(code, str):
                nets.setdefault(code, []).append(net)
        reader.close()
        return nets

    def _list(self, rel: str) -> list[Net]:
        return [n for n in read_cidrs(self.root / rel) if n.version == 4 and n.prefixlen >= 8]

    @cached_property
    def datacenter(self) -> list[Net]:
        return self._list("iplists/cloud/all_ipv4_merged.txt")

    @cached_property
    def vpn(self) -> list[Net]:
        return self._list("iplists/x4bnet/output_vpn_ipv4.txt")

    @cached_property
    def tor(self) -> list[Net]:
        return self._list("iplists/tor/latest.exits.csv")

    @cached_property
    def _vpn_or_dc(self) -> tuple[list[Net], ...]:
        return (self.datacenter, self.vpn, self.tor)

    def ip_in(self, rng: random.Random, nets: list[Net]) -> str:
        net = rng.choice(nets)
        size = net.num_addresses
        offset = rng.randrange(1, size - 1) if size > 2 else 0
        return str(net.network_address + offset)

    @cached_property
    def _country_reader(self) -> maxminddb.Reader:
        return maxminddb.open_database(str(self.root / "geoip/country/geo-whois-asn-country.mmdb"))

    def country_of(self, ip: str) -> str | None:
        record = self._country_reader.get(ip)
        return record.get("country_code") if isinstance(record, dict) else None  # type: ignore[return-value]

    def ip_outside(self, rng: random.Random, nets: list[Net], excluded: set[str]) -> str:
        """An address from `nets` whose country is not excluded (restricted regions)."""
        ip = self.ip_in(rng, nets)
        for _ in range(100):
            if self.country_of(ip) not in excluded:
                return ip
            ip = self.ip_in(rng, nets)
        return ip

    def residential_ip(self, rng: random.Random, country: str) -> str:
        """An address in the country that is in no datacenter, VPN or Tor list (an
        eyeball network, as residential proxies use)."""
        from gateway.enrich.networks import IPSet

        if not hasattr(self, "_exclude"):
            self._exclude = IPSet([*self.datacenter, *self.vpn, *self.tor])
        nets = self._country_nets.get(country) or self._country_nets["US"]
        for _ in range(50):
            ip = self.ip_in(rng, nets)
            if ipaddress.ip_address(ip) not in self._exclude:
                return ip
        return ip
