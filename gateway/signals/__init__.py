"""The signal registry: every signal, by name, in one place."""

from __future__ import annotations

from typing import Any

from gateway.signals.ban_hop import BanHop
from gateway.signals.base import Compiled, Finding, Signal
from gateway.signals.bulk_generation import BulkGeneration
from gateway.signals.cot_elicitation import CotElicitation
from gateway.signals.fan_in import FanIn
from gateway.signals.harvest_shape import HarvestShape
from gateway.signals.identity_probe import IdentityProbe
from gateway.signals.lockstep import Lockstep
from gateway.signals.made_up_history import MadeUpHistory
from gateway.signals.model_pivot import ModelPivot
from gateway.signals.network_churn import NetworkChurn
from gateway.signals.new_account import NewAccount
from gateway.signals.persona_spread import PersonaSpread
from gateway.signals.preference_data import PreferenceData
from gateway.signals.prompt_spread import PromptSpread
from gateway.signals.repetition import Repetition
from gateway.signals.rubric_grading import RubricGrading
from gateway.signals.signup_batch import SignupBatch
from gateway.signals.template_spread import TemplateSpread
from gateway.signals.timing import Timing
from gateway.signals.volume import Volume

SIGNALS: dict[str, Signal[Any]] = {
    signal.name: signal
    for signal in (
        CotElicitation(),
        RubricGrading(),
        PreferenceData(),
        IdentityProbe(),
        BulkGeneration(),
        HarvestShape(),
        MadeUpHistory(),
        NewAccount(),
        Volume(),
        Timing(),
        TemplateSpread(),
        BanHop(),
        FanIn(),
        Lockstep(),
        NetworkChurn(),
        Repetition(),
        PromptSpread(),
        PersonaSpread(),
        ModelPivot(),
        SignupBatch(),
    )
}

__all__ = ["SIGNALS", "Compiled", "Finding", "Signal"]
