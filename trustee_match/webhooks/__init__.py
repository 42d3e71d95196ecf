"""Callbacks from outside services: SendGrid's Event Webhook (delivery tracking).

Nobody logs in here; each request proves where it came from with a signature instead.
"""
