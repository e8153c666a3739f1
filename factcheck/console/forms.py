"""Form and query input through the API's own schemas, so both refuse the same things."""
import marshmallow as ma

from factcheck.errors import Invalid


def load_form(schema: ma.Schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ma.ValidationError as error:
        fields = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        names = ", ".join(sorted(fields))
        raise Invalid(f"Please correct: {names}.", errors=fields) from error
