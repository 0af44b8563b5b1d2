# AM303 blocking-call-in-async: third-party SDKs are off by default. Without a
# `blocking-modules` setting, Stripe and boto3 calls inside `async def` stay
# silent (teams decide), while the stdlib `time.sleep` next to them is flagged.
import time

import boto3
import stripe
from fastapi import APIRouter

router = APIRouter(prefix="/pagos", tags=["pagos"])


@router.post("/clientes")
async def create_customer(email: str):
    cliente = stripe.Customer.create(email=email)  # ok: AM303
    s3 = boto3.client("s3")  # ok: AM303
    s3.upload_file("/tmp/recibo.pdf", "recibos", f"{email}.pdf")  # ok: AM303
    time.sleep(0.5)  # want: AM303 "time\.sleep"
    return {"cliente": cliente["id"], "mensaje": "Cliente creado ✅"}
