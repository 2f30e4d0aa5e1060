"""Deserialises data it is given, as many libraries do."""
import pickle


def load(data):
    return pickle.loads(data)
