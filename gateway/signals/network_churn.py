"""Network churn per account: many distinct networks or countries in a window, and
impossible travel between consecutive countries (rotating proxies, shared or resold
keys). A mobile user changes IP; rarely country, and never at 900 km/h."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState, count_recent


class ChurnParams(Params):
    window: float = Field(3600, gt=0, description="Seconds looked back.")
    max_asns: int = Field(4, ge=1, description="Distinct ASNs in the window above which it fires.")
    max_countries: int = Field(2, ge=1, description="Distinct countries above which it fires.")
    max_kmh: float = Field(
        900, gt=0, description="Travel between country centroids faster than this is impossible."
    )


class NetworkChurn(Signal[ChurnParams]):
    name: ClassVar[str] = "network_churn"
    description: ClassVar[str] = "an account hopping across networks or countries"
    params_model: ClassVar[type[Params]] = ChurnParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[ChurnParams],
    ) -> Finding | None:
        p = cfg.params
        asns = count_recent(account.asns, obs.ts, p.window)
        countries = count_recent(account.countries, obs.ts, p.window)
        flags = []
        if asns > p.max_asns:
            flags.append(f"{asns} ASNs")
        if countries > p.max_countries:
            flags.append(f"{countries} countries")
        if account.travel_kmh > p.max_kmh and not (obs.network.vpn or obs.network.tor):
            # VPN and Tor users "travel" by switching exits: not evidence on its own.
            flags.append(f"impossible travel at {account.travel_kmh:,.0f} km/h")
        if not flags:
            return None
        return self.finding(cfg, f"{', '.join(flags)} in {p.window / 3600:g} h")
