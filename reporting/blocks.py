"""Journey steps and questions (placeholder: replaced by the full question set)."""

from wagtail import blocks


class StepBlock(blocks.StructBlock):
    step_id = blocks.CharBlock()
    title = blocks.CharBlock()


class JourneyStepsBlock(blocks.StreamBlock):
    step = StepBlock()
