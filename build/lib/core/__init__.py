"""The base layer: where things live (paths), Danish formatting and the vocabulary loader.

Imports nothing of the project, so every other package may use it.
"""
