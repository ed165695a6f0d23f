"""Outbound messages to customers (SMS, WeChat, email) through an outbox: docs/messaging.md.

Call `customers.messaging.services.message_queue` inside the transaction that causes the message.
"""
