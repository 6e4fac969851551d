"""The network: bandwidth models behind one interface, and the facade that sends messages."""

from netsim.network.base import OUTAGE_POLICIES, BandwidthModel
from netsim.network.fair import FairSharing, VectorisedFairSharing
from netsim.network.maxmin import MaxMinSharing
from netsim.network.network import MODELS, Network, make_model, model_type
from netsim.network.store_and_forward import StoreAndForward
from netsim.network.tcp import LV08, Cm02, Lv08, TcpParameters
from netsim.network.transfer import LinkUse, Transfer

__all__ = [
    "LV08",
    "MODELS",
    "OUTAGE_POLICIES",
    "BandwidthModel",
    "Cm02",
    "FairSharing",
    "LinkUse",
    "Lv08",
    "MaxMinSharing",
    "Network",
    "StoreAndForward",
    "TcpParameters",
    "Transfer",
    "VectorisedFairSharing",
    "make_model",
    "model_type",
]
