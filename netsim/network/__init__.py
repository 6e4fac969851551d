"""The network: bandwidth models behind one interface, and the facade that sends messages."""

from netsim.network.base import OUTAGE_POLICIES, BandwidthModel
from netsim.network.fair import FairSharing
from netsim.network.network import MODELS, Network, model_type
from netsim.network.store_and_forward import StoreAndForward
from netsim.network.transfer import LinkUse, Transfer

__all__ = [
    "MODELS",
    "OUTAGE_POLICIES",
    "BandwidthModel",
    "FairSharing",
    "LinkUse",
    "Network",
    "StoreAndForward",
    "Transfer",
    "model_type",
]
