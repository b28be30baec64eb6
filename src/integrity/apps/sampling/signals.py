"""What sampling tells the contexts that build on its draws (fieldwork listens)."""

from django.dispatch import Signal

# Sent inside the redraw's transaction with ``draw``: the draw just replaced.
draw_replaced = Signal()
