"""Observe: fold one request into the account's and the shared state, before the
signals read it. Bounded: every map here has a cap and an age."""

from __future__ import annotations

import math

from gateway.enrich.centroids import distance_km
from gateway.observation import Observation
from gateway.state.memory import AccountState, SharedState, touch

RATE_HALF_LIFE = 1800.0  # seconds: the decayed hourly rates follow the last half hour
# One event's weight in an exponentially decayed count, so the count reads "per hour".
RATE_UNIT = 3600 / RATE_HALF_LIFE * math.log(2)
TEMPLATES_PER_ACCOUNT = 16
REPEATS_PER_ACCOUNT = 8
MODELS = 4096  # distinct model names remembered (client-chosen strings: bounded)
REPEAT_WINDOW = 3600.0
TEMPLATE_USES = 2  # distinct fillings before an account counts as using a template
PERSONA_ACCOUNTS = 512  # accounts remembered per client persona; a full one is common
RESAMPLED = 2  # sends of one prompt within the hour before an account counts as resampling it
# Share of an account's recent requests that continue a conversation before it counts
# as an interactive client (calibrated on legit traffic: policies/README.md).
CONVERSING_SHARE = 0.2
# Arrivals this close (seconds, one slot or the next) from one client persona are at
# one moment (a dispatcher drives its accounts from one client stack); accounts
# compared per slot and partners remembered per account are bounded. A slot with more
# arrivals than that is crowded: coincidence there means nothing, and nothing is
# counted. The first seconds of each minute are left out: independent cron jobs fire there.
MOMENT = 0.2
MOMENT_SEEN = 8
PARTNERS = 5
CRON_SECONDS = 2.0
# The account's own latest user turns remembered: a follow-up is matched against them
# (two per conversation open at once: its first turn and its latest).
TURNS_SENT = 16


def conversing(account: AccountState) -> bool:
    """An interactive client: a good share of its requests carry the earlier turns or
    tool results of a conversation. Agent apps and chat UIs do; one-shot harvesting
    does not. Counted over the account's life, so a pause does not reset it."""
    return account.followups >= CONVERSING_SHARE * account.requests > 0


def in_app(obs: Observation, account: AccountState) -> bool:
    """An app's interactive user, with the app seen in this request (its system prompt or
    tool set): what the request carries of the app's own (that prompt, those tools, its
    max_tokens and thinking setting) is the app's, sent for all its users."""
    return bool(obs.app_prints) and conversing(account)


def sent(account: AccountState, turn: int) -> bool:
    """Whether the account sent this user turn as its own latest one (or resumed its
    conversation) lately: 4-byte hashes in a ring, matched on their boundaries."""
    if not turn:
        return False
    ring, key = account.turns_sent, turn.to_bytes(4, "big")
    at = ring.find(key)
    while at >= 0 and at % 4:
        at = ring.find(key, at + 1)
    return at >= 0


def remember(account: AccountState, turn: int) -> None:
    if turn and not sent(account, turn):
        account.turns_sent = (account.turns_sent + turn.to_bytes(4, "big"))[-4 * TURNS_SENT:]


def template_prints(obs: Observation, account: AccountState) -> tuple[int, ...]:
    """The fingerprints that can show a template shared with others. An interactive
    client's system prompt and tool set are its application's, sent for every user of
    that app: not evidence of coordination. Its own turns still are."""
    if in_app(obs, account):
        return tuple(fp for fp in obs.fingerprints if fp not in obs.app_prints)
    return obs.fingerprints


def update(shared: SharedState, obs: Observation) -> AccountState:
    now = obs.ts
    account = shared.account(obs.account.id, obs.account.org, now)
    if account.last_seen:
        gap = now - account.last_seen
        account.gaps.append(gap)
        if len(account.gaps) > AccountState.GAPS:
            del account.gaps[0]
    account.last_seen = now
    account.requests += 1
    hour = int(now // 3600)
    if account.hours[hour % 24] != hour:
        account.hours[hour % 24] = hour
        shared.count_active(hour)
    if obs.persona:
        touch(shared.persona_accounts(obs.persona), account.account, now, PERSONA_ACCOUNTS)
    # Decayed rate in requests per hour: an exponential moving count.
    if account.rate_at:
        factor = math.exp2(-(now - account.rate_at) / RATE_HALF_LIFE)
        account.rate *= factor
        account.tokens *= factor
    account.rate_at = now
    account.rate += RATE_UNIT
    followup = False
    prompt = obs.prompt
    if prompt.turns > 1 or prompt.tool_results:
        # Only a conversation of this account's counts: its first turn, or the turn before
        # the last (a client that drops the oldest turns), is one the account sent. Earlier
        # turns made up to look interactive were never sent by it.
        followup = sent(account, prompt.opening) or sent(account, prompt.previous)
        account.followups += followup
        if not followup:
            # Counted once per conversation: one resumed after the gateway lost its state
            # goes on from here as a follow-up.
            account.orphans += 1
            remember(account, prompt.opening)
    remember(account, prompt.closing)
    net = obs.network
    if net.ip is not None:
        touch(account.ips, net.address, now, 16)
        if net.country:
            touch(account.countries, net.country, now, 8)
            account.travel_kmh = 0.0
            if account.last_place is not None and account.last_place[0] != net.country:
                km = distance_km(account.last_place[0], net.country)
                if km is not None:
                    # Under ten minutes apart is GeoIP noise or a VPN flip, not a speed.
                    hours = max(now - account.last_place[1], 600.0) / 3600
                    account.travel_kmh = km / hours
            account.last_place = (net.country, now)
        if net.asn is not None:
            touch(account.asns, str(net.asn), now, 8)
        if not net.private:
            for key in (net.egress, net.net):
                touch(shared.egress_accounts(key), account.account, now, 256)
    shareable = template_prints(obs, account)
    templated = False
    for fingerprint, filling in zip(obs.fingerprints, obs.fillings, strict=True):
        if fingerprint not in shareable:
            continue
        # On a template already known (its own or others'): the focus of template_spread.
        templated = templated or fingerprint in shared.templates
        # Count a use only when the filling changed: repeating one prompt is no template.
        if account.fillings.get(fingerprint) != filling:
            account.templates[fingerprint] = account.templates.get(fingerprint, 0) + 1
            account.fillings[fingerprint] = filling
        if len(account.templates) > TEMPLATES_PER_ACCOUNT:
            drop = min(account.templates, key=account.templates.__getitem__)
            del account.templates[drop]
            account.fillings.pop(drop, None)
        if account.templates.get(fingerprint, 0) < TEMPLATE_USES:
            continue
        entry = shared.template(fingerprint)
        touch(entry.accounts, account.account, now, 256)
        if len(entry.variants) < 16 or filling in entry.variants:
            entry.variants[filling] = now
    # A conversation it continues is read, not harvested: no part of its focus.
    account.templated += templated and not followup
    if obs.prompt_hash:
        count, first = account.repeats.get(obs.prompt_hash, (0, now))
        if now - first > REPEAT_WINDOW:
            count, first = 0, now
        account.repeats[obs.prompt_hash] = (count + 1, first)
        if count + 1 >= RESAMPLED:
            touch(shared.resamplers(obs.prompt_hash), account.account, now, 256)
        if len(account.repeats) > REPEATS_PER_ACCOUNT:
            del account.repeats[min(account.repeats, key=lambda k: account.repeats[k][0])]
    _arrive_together(shared, account, now, obs.persona)
    if shared.started is None:
        shared.started = now
    if obs.prompt.model:
        model = obs.prompt.model[:64]
        if model not in shared.models and len(shared.models) < MODELS:
            shared.models[model] = now
        touch(account.models, model, now, 4)
    return account


def _arrive_together(shared: SharedState, account: AccountState, now: float, persona: int) -> None:
    """Count, for this account and each unrelated account that arrived at the same
    moment, one more arrival together (lockstep reads the counts)."""
    if now % 60 < CRON_SECONDS:
        return
    slot = int(now / MOMENT)
    moments = shared.moments
    personas = moments.get(slot)
    if personas is None:
        personas = moments[slot] = {}
        for old in [key for key in moments if key < slot - 1]:
            del moments[old]
    here = personas.setdefault(persona, [])
    if len(here) > MOMENT_SEEN or account.account in here:
        return  # crowded, or already here
    here.append(account.account)
    earlier = moments.get(slot - 1)
    before = earlier.get(persona, ()) if earlier else ()
    if len(here) > MOMENT_SEEN or len(before) > MOMENT_SEEN:
        return  # crowded now
    for other in (*before, *here[:-1]):
        if other == account.account:
            continue
        state = shared.accounts.peek(other)
        if state is None or (account.org is not None and state.org == account.org):
            continue  # colleagues' jobs start together by design
        _together(account, other)
        _together(state, account.account)


def _together(state: AccountState, other: str) -> None:
    together = state.together
    if together is None:
        together = state.together = {}
    together[other] = together.get(other, 0) + 1
    if len(together) > PARTNERS:
        del together[min(together, key=together.__getitem__)]


def charge_tokens(account: AccountState, output_tokens: int) -> None:
    account.tokens += output_tokens * RATE_UNIT


def mark_refused(shared: SharedState, account: AccountState, obs: Observation) -> None:
    account.refused += 1
    if account.first_refused is None:
        account.first_refused = obs.ts
    for fingerprint in template_prints(obs, account):
        if account.templates.get(fingerprint, 0) < TEMPLATE_USES:
            continue  # a prompt it used once says nothing about the template
        entry = shared.templates.peek(fingerprint)
        if entry is not None:
            entry.refused_at = obs.ts
            touch(entry.refused, account.account, obs.ts, 32)
