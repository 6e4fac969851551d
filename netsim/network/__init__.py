"""The network: bandwidth models behind one interface, and the facade that sends messages."""

from netsim.network.base import BandwidthModel
from netsim.network.network import MODELS, Network, model_type
from netsim.network.store_and_forward import StoreAndForward

__all__ = ["MODELS", "BandwidthModel", "Network", "StoreAndForward", "model_type"]
