"""The desk's words in English and Simplified Chinese, and Babel formatting of money and times.

Words are a plain catalog (key -> text per locale, `str.format` placeholders) kept in Python:
the pages are few, the catalog is checked by a test (every key in both languages, the same
placeholders), and nothing needs compiling at install time. Money and instants are formatted by
Babel (CLDR data) in the reader's locale and time zone.
"""

from __future__ import annotations

import string
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_currency

from disputedesk.rules.vocabulary import REASONS

LOCALES = ("en", "zh_CN")
LOCALE_NAMES = {"en": "English", "zh_CN": "简体中文"}

# key -> (English, Simplified Chinese)
_CATALOG: dict[str, tuple[str, str]] = {
    # --- frame
    "app.name": ("disputedesk", "disputedesk 纠纷台"),
    "nav.inbox": ("Disputes", "纠纷列表"),
    "nav.orders": ("Orders", "订单"),
    "nav.my_orders": ("My orders", "我的订单"),
    "nav.my_disputes": ("Dispute management", "纠纷管理"),
    "nav.queue": ("Escalated cases", "平台介入案件"),
    "nav.sign_out": ("Sign out", "退出"),
    "nav.language": ("Language", "语言"),
    "nav.time_zone": ("Time zone", "时区"),
    "nav.apply": ("Apply", "应用"),
    "nav.signed_in_as": ("Signed in as {name} ({role})", "当前用户：{name}（{role}）"),
    "role.buyer": ("buyer", "买家"),
    "role.seller": ("seller", "卖家"),
    "role.arbitrator": ("arbitrator", "平台仲裁员"),
    "role.admin": ("operator", "运营"),
    "role.system": ("system", "系统"),
    "role.carrier": ("carrier", "物流商"),
    # --- sign-in
    "login.title": ("Sign in", "登录"),
    "login.email": ("Email", "邮箱"),
    "login.password": ("Password", "密码"),
    "login.submit": ("Sign in", "登录"),
    "login.failed": (
        "The email or password is not right.",
        "邮箱或密码不正确。",
    ),
    "login.throttled": (
        "Too many failed sign-ins. Try again in {seconds} s.",
        "登录失败次数过多，请在 {seconds} 秒后重试。",
    ),
    "login.signed_out": ("You are signed out.", "您已退出。"),
    "login.https_needed": (
        "This desk must be opened over HTTPS. Over plain HTTP your browser drops its sign-in "
        "cookies, so signing in cannot work here. Open the HTTPS address below instead.",
        "本系统必须通过 HTTPS 访问。使用普通 HTTP 时，浏览器会丢弃登录所需的 Cookie，"
        "因此无法在此登录。请改为打开下面的 HTTPS 地址。",
    ),
    "login.no_cookie": (
        "Your browser did not keep this site's sign-in cookie, so you cannot sign in. Cookies "
        "may be blocked for this site, or a Secure cookie was sent over plain HTTP. Allow "
        "cookies for this site (or open it over HTTPS), reload the page and try again.",
        "您的浏览器没有保留本网站的登录 Cookie，因此无法登录。可能是本网站的 Cookie 被阻止，"
        "或安全（Secure）Cookie 经由普通 HTTP 发送而被丢弃。请允许本网站使用 Cookie"
        "（或通过 HTTPS 打开），刷新页面后重试。",
    ),
    # --- errors
    "error.title": ("Something is not right", "出现问题"),
    "error.not_found": (
        "There is no such page, or it is not yours to see.",
        "页面不存在，或您无权查看。",
    ),
    "error.csrf": (
        "This form is out of date or did not come from this site. Reload the page and send it "
        "again.",
        "表单已过期或并非来自本网站。请刷新页面后重新提交。",
    ),
    "error.forbidden": ("Your role may not do that.", "您的角色无权执行此操作。"),
    "error.back": ("Back", "返回"),
    "done": ("Done: {what}.", "已完成：{what}。"),
    # --- lists
    "inbox.title": ("Disputes", "纠纷列表"),
    "inbox.hint": (
        "Sorted by next deadline. Deadlines within 48 hours are highlighted.",
        "按最近截止时间排序，48 小时内到期的已高亮显示。",
    ),
    "filter.status": ("Status", "状态"),
    "filter.reason": ("Reason", "原因"),
    "filter.country": ("Country", "国家"),
    "filter.carrier": ("Carrier", "物流商"),
    "filter.any": ("Any", "全部"),
    "filter.apply": ("Filter", "筛选"),
    "filter.open_only": ("Open only", "仅未结束"),
    "col.order": ("Order number", "订单号"),
    "col.dispute": ("Dispute", "纠纷"),
    "col.status": ("Status", "状态"),
    "col.reason": ("Reason", "原因"),
    "col.country": ("Country", "国家"),
    "col.carrier": ("Carrier", "物流商"),
    "col.amount": ("Amount", "金额"),
    "col.next_deadline": ("Next deadline", "下一截止时间"),
    "col.what_then": ("Then", "届时"),
    "col.opened": ("Opened", "发起时间"),
    "col.placed": ("Placed", "下单时间"),
    "col.total": ("Order total", "订单金额"),
    "col.shipment": ("Shipment", "物流状态"),
    "col.delivery_deadline": ("Delivery deadline", "收货截止时间"),
    "col.store": ("Store", "店铺"),
    "col.buyer": ("Buyer", "买家"),
    "col.intervention_due": ("Intervention due", "介入截止时间"),
    "col.escalated": ("Escalated", "升级时间"),
    "list.empty": ("Nothing here.", "暂无内容。"),
    "list.more": ("Next page", "下一页"),
    "list.previous": ("Previous page", "上一页"),
    "badge.urgent": ("under 48 h", "48 小时内"),
    "badge.breached": ("overdue", "已超时"),
    "queue.title": ("Escalated cases", "平台介入案件"),
    "queue.hint": (
        "Sorted by intervention due time ({days} working days after escalation). Overdue cases "
        "are highlighted.",
        "按介入截止时间排序（升级后 {days} 个工作日）。已超时的案件已高亮显示。",
    ),
    # --- orders
    "orders.title": ("Orders", "订单"),
    "my_orders.title": ("My orders", "我的订单"),
    "order.title": ("Order {id}", "订单 {id}"),
    "order.status": ("Order status", "订单状态"),
    "order.items": ("Items", "商品"),
    "order.address": ("Delivery address", "收货地址"),
    "order.total_line": (
        "{total} (product price {amount} + refundable shipping {shipping})",
        "{total}（商品价格 {amount} + 可退运费 {shipping}）",
    ),
    "order.refunded": ("Refunded", "已退款"),
    "order.shipped_with": ("{carrier}, tracking number {number}", "{carrier}，运单号 {number}"),
    "order.not_shipped": ("Not shipped yet", "尚未发货"),
    "order.extend": ("Extend delivery time", "延长收货时间"),
    "order.extend_days": ("Days", "天数"),
    "order.ship": ("Ship", "发货"),
    "order.confirm_receipt": ("Confirm receipt", "确认收货"),
    "order.open_dispute": ("Open a dispute", "发起纠纷"),
    "order.disputes": ("Disputes on this order", "此订单的纠纷"),
    "order.view_dispute": ("View dispute", "查看纠纷"),
    "order_status.awaiting_shipment": ("Awaiting shipment", "等待发货"),
    "order_status.shipped": ("Shipped", "已发货"),
    "order_status.completed": ("Completed", "已完成"),
    "order_status.refunded": ("Refunded", "已退款"),
    # --- dispute page
    "dispute.title": ("Dispute details", "纠纷详情"),
    "dispute.order_number": ("Order number", "订单号"),
    "dispute.status": ("Dispute status", "纠纷状态"),
    "dispute.reason": ("Reason for dispute", "纠纷原因"),
    "dispute.opened_at": ("Dispute filing time", "纠纷发起时间"),
    "dispute.goods_received": ("Goods received", "是否收到货物"),
    "dispute.yes": ("yes", "是"),
    "dispute.no": ("no", "否"),
    "dispute.note": ("Note", "备注"),
    "dispute.order_total": ("Disputed order total", "纠纷订单金额"),
    "dispute.reminder": ("Reminder", "提醒"),
    "dispute.resolution": ("Outcome", "处理结果"),
    "dispute.refund_amount": ("Refund amount", "退款金额"),
    "dispute.responsibility": ("Responsibility", "责任方"),
    "dispute.closed_at": ("Closed", "结束时间"),
    "dispute.escalated_at": ("Escalated", "升级时间"),
    "dispute.intervention_due": ("The platform intervenes by", "平台介入截止时间"),
    "dispute.plans": ("Plans", "方案"),
    "dispute.buyer_plan": ("Buyer plan (default plan)", "买家方案（默认方案）"),
    "dispute.seller_plan": ("My plan", "我的方案"),
    "dispute.seller_plan_other": ("Seller plan", "卖家方案"),
    "dispute.waiting_for_plan": ("Waiting for your plan", "等待您的方案"),
    "dispute.no_seller_plan": ("The seller has not proposed a plan.", "卖家尚未提出方案。"),
    "dispute.plan_history": ("Plan history", "方案记录"),
    "dispute.evidence": ("Evidence", "证据"),
    "dispute.buyer_evidence": ("Buyer's evidence", "买家证据"),
    "dispute.seller_evidence": ("Seller's evidence", "卖家证据"),
    "dispute.no_evidence": ("None yet.", "暂无。"),
    "dispute.upload": ("Upload evidence", "上传证据"),
    "dispute.kind": ("Kind", "类型"),
    "dispute.description": ("Description", "说明"),
    "dispute.file": (
        "File (image, PDF, MP4/WebM video, text; up to {limit})",
        "文件（图片、PDF、MP4/WebM 视频、文本；不超过 {limit}）",
    ),
    "dispute.link": ("Or a video link", "或视频链接"),
    "dispute.download": ("Download", "下载"),
    "dispute.messages": ("Messages", "留言"),
    "dispute.message_body": ("Message", "留言内容"),
    "dispute.send": ("Send", "发送"),
    "dispute.no_messages": ("No messages yet.", "暂无留言。"),
    "dispute.tracking": ("Logistics information", "物流信息"),
    "dispute.no_tracking": ("No logistics events.", "暂无物流信息。"),
    "dispute.history": ("Timeline", "处理记录"),
    "dispute.actions": ("What you can do", "您可以"),
    "dispute.closed_note": ("This dispute is closed.", "此纠纷已结束。"),
    "dispute.not_current": (
        "This is an earlier dispute of the order; it is closed.",
        "这是此订单较早的纠纷，已结束。",
    ),
    "dispute.previous": ("Earlier disputes", "较早的纠纷"),
    # --- the dispute's stages (seed 002's progress strip)
    "stage.opened": ("Initiate a refund/return", "发起退款/退货"),
    "stage.agreed": ("Negotiation completed", "协商完成"),
    "stage.platform": ("Platform intervenes", "平台介入"),
    "stage.closed": ("Dispute closed", "纠纷结束"),
    "stage.platform_if": (
        "if no agreement by {at}",
        "如在 {at} 前未达成一致",
    ),
    # --- forms
    "form.plan_type": ("Plan", "方案"),
    "form.amount": ("Amount ({currency})", "金额（{currency}）"),
    "form.amount_hint": ("at most {max}", "最多 {max}"),
    "form.note": ("Note", "备注"),
    "form.carrier": ("Carrier", "物流商"),
    "form.tracking_number": ("Tracking number", "运单号"),
    "form.reason": ("Reason", "原因"),
    "form.goods_received": ("Did you receive the goods?", "是否收到货物？"),
    "form.refund_amount": ("Refund amount ({currency})", "退款金额（{currency}）"),
    "form.responsibility": ("Responsibility", "责任方"),
    "form.return_required": ("The buyer must return the goods first", "买家需先退货"),
    "form.open_title": ("Open a dispute on order {id}", "对订单 {id} 发起纠纷"),
    "form.open_submit": ("Submit the dispute", "提交纠纷"),
    "form.evidence_optional": (
        "Photos or a video help (optional; you can add more later).",
        "照片或视频有助于处理（可选，之后可继续补充）。",
    ),
    "form.open_window": (
        "You can open a dispute from {earliest}{until}.",
        "您可以从 {earliest} 起发起纠纷{until}。",
    ),
    "form.open_until": (" until {latest}", "，截止 {latest}"),
    # tracking entry (feeds)
    "tracking_entry.title": ("Record a tracking event", "录入物流事件"),
    "tracking_entry.hint": (
        "What the carrier's tracking says for {number}, e.g. from its website or a call.",
        "运单 {number} 的物流信息，例如来自物流商网站或电话。",
    ),
    "tracking_entry.description": ("What the carrier says", "物流商的描述"),
    "tracking_entry.description_example": (
        "Arrived at the post office, notice left",
        "已到达邮局，已留取件通知",
    ),
    "tracking_entry.place": ("Place (optional)", "地点（可选）"),
    "tracking_entry.at": ("When ({zone})", "时间（{zone}）"),
    "tracking_entry.not_shipped": (
        "The order has no tracking number yet: ship it first.",
        "订单还没有运单号：请先发货。",
    ),
    "tracking_entry.need_description": (
        "Say what the carrier's tracking says.",
        "请填写物流商的描述。",
    ),
    "tracking_entry.need_carrier": ("Name the carrier.", "请填写物流商。"),
    "tracking_entry.bad_at": (
        "Give the date and time the carrier shows.",
        "请填写物流商显示的日期和时间。",
    ),
    "tracking_entry.future_at": (
        "That time is in the future (it is now {now}).",
        "该时间晚于当前时间（现在是 {now}）。",
    ),
    "act.add_tracking": ("Record the tracking event", "录入物流事件"),
    "act.tracking_already": (
        "This tracking event was already recorded",
        "该物流事件已录入过",
    ),
    # --- action buttons
    "act.accept": ("Accept the plan", "接受方案"),
    "act.accept_seller": ("Accept the seller's plan", "接受卖家方案"),
    "act.propose": ("Add a plan", "新增方案"),
    "act.reject": ("Reject", "拒绝"),
    "act.modify": ("Modify my request", "修改纠纷"),
    "act.cancel": ("Cancel the dispute", "取消纠纷"),
    "act.escalate": ("Ask the platform to step in", "申请平台介入"),
    "act.escalate_return": ("Escalate the dispute", "升级纠纷"),
    "act.ship_return": ("I have shipped the return", "我已退货"),
    "act.confirm_return_received": ("Confirm receipt of return", "确认收到退货"),
    "act.give_up_return": ("Give up return", "放弃退货"),
    "act.ship_replacement": ("Ship the replacement", "发出补发货物"),
    "act.intervene": ("Intervene", "介入处理"),
    "act.rule": ("Rule", "裁决"),
    "act.submit_evidence": ("Upload evidence", "上传证据"),
    "act.send_message": ("Send message", "发送留言"),
    "act.extend_delivery": ("Extend delivery time", "延长收货时间"),
    "act.ship": ("Ship", "发货"),
    "act.confirm_receipt": ("Confirm receipt", "确认收货"),
    "act.open_dispute": ("Open a dispute", "发起纠纷"),
    "act.preferences": ("Preferences", "偏好设置"),
    # --- reminders (the dispute page's sentence; {countdown} is live)
    "reminder.awaiting_seller_response.seller": (
        "The buyer has filed a dispute. Respond within {countdown} (accept or give your plan), "
        "otherwise the system will execute according to the buyer's plan: {plan}.",
        "买家已发起纠纷，请务必在 {countdown} 内响应（同意或给出您的方案），"
        "否则系统将按买家的方案执行：{plan}。",
    ),
    "reminder.awaiting_seller_response.other": (
        "Waiting for the seller's response. If the seller does not respond within {countdown}, "
        "the system executes the buyer's plan: {plan}.",
        "等待卖家响应。如卖家在 {countdown} 内未响应，系统将按买家的方案执行：{plan}。",
    ),
    "reminder.negotiating": (
        "Negotiating. If the two parties cannot agree within {countdown}, the platform will step "
        "in.",
        "协商中。如双方在 {countdown} 内未能达成一致，平台将介入处理。",
    ),
    "reminder.awaiting_return_shipment": (
        "Waiting for the buyer to ship the return. If the buyer does not ship it within "
        "{countdown}, the dispute closes without a refund.",
        "等待买家退货。如买家在 {countdown} 内未退货，纠纷将关闭且不退款。",
    ),
    "reminder.awaiting_return_receipt.seller": (
        "The buyer has returned the goods. If you do not confirm receipt of the return or "
        "escalate the dispute within {countdown}, the money will be refunded to the buyer "
        "according to the agreement.",
        "买家已退货。如您在 {countdown} 内未确认收到退货或升级纠纷，款项将按协议退还给买家。",
    ),
    "reminder.awaiting_return_receipt.other": (
        "The return is on its way. If the seller neither confirms it nor escalates within "
        "{countdown}, the agreed amount is refunded.",
        "退货运输中。如卖家在 {countdown} 内既未确认收货也未升级，将退还约定金额。",
    ),
    "reminder.awaiting_resend": (
        "The seller must ship the replacement within {countdown}, otherwise the platform steps in.",
        "卖家须在 {countdown} 内发出补发货物，否则平台将介入。",
    ),
    "reminder.escalated": (
        "The platform has been asked to step in and will intervene within {countdown} (by {at}).",
        "已申请平台介入，平台将在 {countdown} 内（{at} 前）介入处理。",
    ),
    "reminder.escalated.late": (
        "The platform was due to intervene by {at}: it is overdue.",
        "平台应在 {at} 前介入：已超时。",
    ),
    "reminder.awaiting_seller_evidence": (
        "The platform is waiting for the seller's evidence. Time left: {countdown}. Then: "
        "{consequence}.",
        "平台正在等待卖家提交证据，剩余时间：{countdown}。届时：{consequence}。",
    ),
    "reminder.under_review": (
        "The platform is reviewing the evidence and will rule.",
        "平台正在审核证据并将作出裁决。",
    ),
    # desk truth (12-A): countdowns with plural forms and "overdue by", the progress strip's
    # four steps, the outcome card, the evidence card, what is not possible yet, confirmation
    # steps, a form sent twice, escalations in words, error pages
    "countdown.left.one": ("{n} day {c}", "{n} 天 {c}"),
    "countdown.left.other": ("{n} days {c}", "{n} 天 {c}"),
    "countdown.overdue": ("overdue by {time}", "已超时 {time}"),
    "unit.day.one": ("{n} day", "{n} 天"),
    "unit.day.other": ("{n} days", "{n} 天"),
    "unit.hour.one": ("{n} hour", "{n} 小时"),
    "unit.hour.other": ("{n} hours", "{n} 小时"),
    "unit.minute.one": ("{n} minute", "{n} 分钟"),
    "unit.minute.other": ("{n} minutes", "{n} 分钟"),
    "reminder.overdue": (
        "The deadline was {at} and is {overdue}: {consequence}.",
        "截止时间为 {at}，{overdue}：{consequence}。",
    ),
    "stage.negotiating": ("negotiating now", "协商中"),
    "stage.no_agreement": ("no agreement", "未达成一致"),
    "stage.not_needed": ("not needed", "无需介入"),
    "stage.not_yet": ("not yet", "尚未结束"),
    "stage.platform_if_resend": (
        "if the replacement is not shipped by {at}",
        "如在 {at} 前未发出补发货物",
    ),
    "stage.platform_on_escalation": ("only if the dispute is escalated", "仅在纠纷升级时"),
    "outcome.agreed.title": ("Agreed plan", "已达成的方案"),
    "outcome.ruled.title": ("The platform's ruling", "平台裁决"),
    "outcome.closed.title": ("How the dispute ended", "纠纷结果"),
    "outcome.agreed.seller": (
        "The seller accepted the buyer's plan on {at}.",
        "卖家于 {at} 接受了买家的方案。",
    ),
    "outcome.agreed.buyer": (
        "The buyer accepted the seller's plan on {at}.",
        "买家于 {at} 接受了卖家的方案。",
    ),
    "outcome.agreed.timeout": (
        "The seller did not respond in time: the buyer's plan applies since {at}.",
        "卖家未按时响应：自 {at} 起按买家的方案执行。",
    ),
    "outcome.ruled.at": ("The platform ruled on {at}.", "平台于 {at} 作出裁决。"),
    "outcome.auto_ruled.at": (
        "The seller sent no evidence in time: the platform ruled automatically on {at}.",
        "卖家未按时提交证据：平台于 {at} 自动裁决。",
    ),
    "outcome.closed.at": ("The dispute closed on {at}.", "纠纷于 {at} 结束。"),
    "outcome.plan": ("Plan", "方案"),
    "outcome.return_required": ("Return required", "需要退货"),
    "outcome.reason": ("The arbitrator's reason", "仲裁员的理由"),
    "outcome.next.return": (
        "The buyer returns the goods first; the refund follows when the seller confirms the "
        "return arrived.",
        "买家需先退货；卖家确认收到退货后退款。",
    ),
    "outcome.next.resend": ("The seller ships a replacement.", "卖家补发货物。"),
    "outcome.escalated_after": (
        "The dispute was escalated after this agreement: the platform now decides.",
        "达成此方案后纠纷已升级：现由平台处理。",
    ),
    "dispute.no_plan_proposed": ("No plan was proposed.", "未提出方案。"),
    "dispute.escalated_by": ("Escalated by", "升级方"),
    "escalation.buyer": ("the buyer", "买家"),
    "escalation.seller": ("the seller", "卖家"),
    "escalation.auto_no_agreement": (
        "the system: no agreement in time",
        "系统自动：未按时达成一致",
    ),
    "escalation.auto_in_transit": (
        "the system: the parcel was still in transit at the delivery deadline",
        "系统自动：收货截止时包裹仍在运输途中",
    ),
    "escalation.auto_resend_missed": (
        "the system: the replacement was not shipped in time",
        "系统自动：未按时发出补发货物",
    ),
    "evidence_due.title": ("What you can do", "您可以"),
    "evidence_due.title_other": ("What happens next", "接下来"),
    "evidence_due.seller": (
        "Evidence is required: upload yours (delivery note, tracking record, photos) by {at}, "
        "{countdown} left.",
        "需要提交证据：请在 {at} 前上传证据（发货底单、物流记录、照片等），剩余 {countdown}。",
    ),
    "evidence_due.other": (
        "The platform is waiting for the seller's evidence, due by {at}, {countdown} left.",
        "平台正在等待卖家提交证据，截止时间 {at}，剩余 {countdown}。",
    ),
    "evidence_due.period_first": (
        "This is the first of {count} evidence periods of {days} days.",
        "这是 {count} 个证据期（每期 {days} 天）中的第一个。",
    ),
    "evidence_due.period_middle": (
        "This is evidence period {number} of {count}.",
        "这是第 {number} 个证据期，共 {count} 个。",
    ),
    "evidence_due.period_last": (
        "This is the last evidence period ({number} of {count}).",
        "这是最后一个证据期（第 {number} 个，共 {count} 个）。",
    ),
    "evidence_due.then_last": (
        "If no evidence arrives by then, a last evidence period of {days} days starts.",
        "如届时仍未提交证据，将开始最后一个为期 {days} 天的证据期。",
    ),
    "evidence_due.then_further": (
        "If no evidence arrives by then, a further evidence period of {days} days starts.",
        "如届时仍未提交证据，将再开始一个为期 {days} 天的证据期。",
    ),
    "evidence_due.then_ruled": (
        "If no evidence arrives by then, the platform rules automatically: the buyer's plan "
        "amount, {amount}, is refunded, seller responsible.",
        "如届时仍未提交证据，平台将自动裁决：按买家方案金额 {amount} 退款，由卖家承担责任。",
    ),
    "not_yet.title": ("Not possible yet", "暂不可操作"),
    "act.withdraw_escalation": (
        "The goods arrived: withdraw my escalation",
        "已收到退货：撤回我的升级",
    ),
    "confirm.title": ("Please confirm", "请确认"),
    "confirm.irreversible": ("This cannot be undone.", "此操作无法撤销。"),
    "confirm.back": ("No, go back", "不，返回"),
    "confirm.accept": ("You accept the buyer's plan: {plan}.", "您将接受买家的方案：{plan}。"),
    "confirm.accept_seller": (
        "You accept the seller's plan: {plan}.",
        "您将接受卖家的方案：{plan}。",
    ),
    "confirm.then.refund_only": (
        "The dispute closes and {amount} is refunded to the buyer.",
        "纠纷将结束，并向买家退款 {amount}。",
    ),
    "confirm.then.return_and_refund": (
        "The buyer returns the goods; {amount} is refunded when the seller confirms the return "
        "arrived.",
        "买家退货；卖家确认收到退货后退款 {amount}。",
    ),
    "confirm.then.resend": (
        "The seller ships a replacement within {days} days.",
        "卖家须在 {days} 天内补发货物。",
    ),
    "confirm.cancel_dispute": (
        "You cancel the dispute: it closes without a refund.",
        "您将取消纠纷：纠纷结束且不退款。",
    ),
    "confirm.give_up_return": (
        "You give up the return: {amount} is refunded to the buyer without the goods coming "
        "back, and the dispute closes.",
        "您将放弃退货：不退回货物，直接向买家退款 {amount}，纠纷结束。",
    ),
    "confirm.confirm_return_received": (
        "You confirm the return arrived: {amount} is refunded to the buyer and the dispute closes.",
        "您将确认收到退货：向买家退款 {amount}，纠纷结束。",
    ),
    "confirm.withdraw_escalation": (
        "You withdraw your escalation because the goods arrived: {amount} is refunded to the "
        "buyer and the dispute closes.",
        "您将因已收到退货而撤回升级：向买家退款 {amount}，纠纷结束。",
    ),
    "confirm.confirm_receipt": (
        "You confirm you received the goods: the order completes and the payment goes to the "
        "seller.",
        "您将确认收货：订单完成，货款将支付给卖家。",
    ),
    "already_done": (
        "Already done: {what}. The form was sent twice; nothing was done twice.",
        "已完成：{what}。表单被重复提交，未重复执行。",
    ),
    "error.status": ("Error {status}", "错误 {status}"),
    "nav.main": ("Main", "主导航"),
    "order.open_dispute_from": ("A dispute can be opened from {at}", "{at} 起可发起纠纷"),
    "error.reference": ("Reference: {id}", "参考编号：{id}"),
    # --- what happens at zero (the core's automatic steps)
    "step.order_auto_completed": (
        "the order completes (receipt confirmed overtime)",
        "订单自动确认收货并完成",
    ),
    "step.seller_response_timeout": (
        "the system executes the buyer's plan",
        "系统将按买家的方案执行",
    ),
    "step.auto_escalated": ("the platform steps in", "平台介入处理"),
    "step.return_shipment_timeout": (
        "the dispute closes without a refund",
        "纠纷关闭且不退款",
    ),
    "step.return_receipt_timeout": ("the agreed amount is refunded", "退还约定金额"),
    "step.evidence_period_extended": ("a further evidence period starts", "证据期延长一期"),
    "step.auto_ruled": (
        "the buyer's plan amount is refunded, seller responsible",
        "按买家方案金额退款，卖家承担责任",
    ),
    "step.intervene": ("the platform's intervention is due", "平台介入到期"),
    "step.rule": ("the platform rules", "平台裁决"),
    "waiting_on.buyer": ("Waiting on the buyer", "等待买家"),
    "waiting_on.seller": ("Waiting on the seller", "等待卖家"),
    "waiting_on.arbitrator": ("Waiting on the platform", "等待平台"),
    # --- statuses, plans, resolutions, evidence kinds
    "status.awaiting_seller_response": ("Awaiting seller response", "等待卖家响应"),
    "status.negotiating": ("Dispute negotiation", "纠纷协商中"),
    "status.awaiting_return_shipment": ("Awaiting return shipment", "等待买家退货"),
    "status.awaiting_return_receipt": (
        "Awaiting confirmation of receipt of the return",
        "等待确认收到退货",
    ),
    "status.awaiting_resend": ("Awaiting replacement shipment", "等待补发货物"),
    "status.escalated": ("Escalated to the platform", "已升级至平台"),
    "status.awaiting_seller_evidence": ("Awaiting seller evidence", "等待卖家举证"),
    "status.under_review": ("Under platform review", "平台审核中"),
    "status.closed": ("Closed", "已结束"),
    "plan.refund_only": ("Refund only", "仅退款"),
    "plan.return_and_refund": ("Return and refund", "退货退款"),
    "plan.resend": ("Resend", "补发货物"),
    "plan.line": ("{type} {amount}", "{type} {amount}"),
    "resolution.refunded": ("refunded", "已退款"),
    "resolution.cancelled": ("cancelled by the buyer", "买家已取消"),
    "resolution.return_not_shipped": ("return not shipped in time", "买家未按时退货"),
    "resolution.resent": ("replacement shipped", "已补发货物"),
    "resolution.ruled": ("ruled by the platform", "平台已裁决"),
    "responsibility.seller": ("seller", "卖家"),
    "responsibility.buyer": ("buyer", "买家"),
    "responsibility.none": ("none", "无"),
    "kind.proof_of_delivery": ("Proof of delivery", "妥投证明"),
    "kind.delivery_note": ("Delivery note", "发货底单"),
    "kind.tracking_record": ("Tracking record", "物流记录"),
    "kind.brand_authorization": ("Brand authorization", "品牌授权"),
    "kind.photo": ("Photo", "照片"),
    "kind.video": ("Video", "视频"),
    "kind.chat_log": ("Chat log", "聊天记录"),
    "kind.customs_receipt": ("Customs receipt", "清关单据"),
    "kind.invoice": ("Invoice", "发票"),
    "kind.other": ("Other", "其他"),
    "category.not_received": ("Goods not received", "未收到货"),
    "category.not_as_described": ("Not as described", "货不对版"),
    # --- reasons (RULES.md section 4)
    "reason.not_received.tracking_invalid": (
        "Invalid waybill number / no logistics information",
        "运单号无效 / 无物流信息",
    ),
    "reason.not_received.in_transit": ("Still in transit, logistics late", "货物仍在运输途中"),
    "reason.not_received.customs_held": ("Detained by customs", "海关扣关"),
    "reason.not_received.returned_to_sender": ("Package returned", "包裹被退回"),
    "reason.not_received.wrong_address": ("Delivery address incorrect", "收货地址有误"),
    "reason.not_received.delivered_not_received": (
        "Tracking says delivered, buyer says not",
        "物流显示妥投但买家未收到",
    ),
    "reason.not_received.carrier_changed": (
        "Seller changed the shipping method without consent",
        "卖家未经同意更改物流方式",
    ),
    "reason.not_as_described.not_as_described": (
        "Size, color, material or style do not match",
        "尺寸、颜色、材质或款式不符",
    ),
    "reason.not_as_described.quality_issue": ("Poor quality or workmanship", "质量问题"),
    "reason.not_as_described.damaged": ("Broken in transit", "运输途中破损"),
    "reason.not_as_described.not_working": ("Does not work properly", "无法正常使用"),
    "reason.not_as_described.short_shipment": (
        "Missing items, parts or promised gifts",
        "少件、缺配件或赠品",
    ),
    "reason.not_as_described.counterfeit": ("Fake goods", "假货"),
    "reason.not_as_described.wrong_item": (
        "Model or item does not match the order",
        "型号或商品与订单不符",
    ),
    # --- timeline actions
    "action.ship": ("Shipped", "卖家发货"),
    "action.extend_delivery": ("Delivery time extended by {days} days", "收货时间延长 {days} 天"),
    "action.confirm_receipt": ("Receipt confirmed", "确认收货"),
    "action.tracking": ("Carrier update", "物流更新"),
    "action.order_auto_completed": ("Order completed automatically", "系统自动确认收货"),
    "action.open_dispute": ("Dispute opened", "发起纠纷"),
    "action.modify_dispute": ("Buyer modified the request", "买家修改纠纷"),
    "action.accept": ("Plan accepted", "接受方案"),
    "action.propose": ("Seller proposed a plan", "卖家提出方案"),
    "action.reject": ("Seller rejected", "卖家拒绝"),
    "action.cancel_dispute": ("Dispute cancelled", "纠纷已取消"),
    "action.escalate": ("Escalated", "升级纠纷"),
    "action.ship_return": ("Return shipped", "买家退货"),
    "action.confirm_return_received": ("Return received", "确认收到退货"),
    "action.give_up_return": ("Seller gave up the return", "卖家放弃退货"),
    "action.ship_replacement": ("Replacement shipped", "补发货物"),
    "action.intervene": ("The platform intervened", "平台介入"),
    "action.submit_evidence": ("Evidence submitted", "提交证据"),
    "action.rule": ("The platform ruled", "平台裁决"),
    "action.seller_response_timeout": (
        "Seller did not respond in time: the buyer's plan is executed",
        "卖家未按时响应：按买家方案执行",
    ),
    "action.auto_escalated": ("Escalated automatically", "系统自动升级"),
    "action.return_shipment_timeout": ("Return not shipped in time", "买家未按时退货"),
    "action.return_receipt_timeout": (
        "Return not confirmed in time: refunded",
        "卖家未按时确认退货：已退款",
    ),
    "action.evidence_period_extended": ("Evidence period extended", "证据期延长"),
    "action.auto_ruled": ("Ruled automatically", "系统自动裁决"),
    # --- refusals: the rule in words (from the core's Refusal.rule and params)
    "refusal.amount.malformed": (
        "The amount “{text}” is not an amount: digits, with at most 2 decimals.",
        "金额“{text}”无效：只能是数字，最多 2 位小数。",
    ),
    "refusal.amount.too_small": (
        "The amount must be at least {low}; {value} is too little.",
        "金额至少为 {low}；{value} 太少。",
    ),
    "refusal.amount.too_large": (
        "The amount {value} is more than the {high} still refundable.",
        "金额 {value} 超过了仍可退款的 {high}。",
    ),
    "refusal.dispute.none": ("There is no open dispute on this order.", "此订单没有进行中的纠纷。"),
    "refusal.dispute.status": (
        "Not possible now: the dispute is “{status}”.",
        "当前无法操作：纠纷状态为“{status}”。",
    ),
    "refusal.ship.already": ("The order is already {status}.", "订单已是“{status}”状态。"),
    "refusal.extend.not_shipped": (
        "Delivery can be extended only while the order is shipped, not {status}.",
        "只有已发货的订单才能延长收货时间，当前为“{status}”。",
    ),
    "refusal.extend.too_late": (
        "Delivery can be extended only before the delivery deadline: before {at}.",
        "只能在收货截止时间之前延长：{at} 之前。",
    ),
    "refusal.extend.cap": (
        "Extensions of one order add up to at most {cap} days: {left} days are left.",
        "同一订单的延长总计最多 {cap} 天：还剩 {left} 天。",
    ),
    "refusal.receipt.dispute_open": (
        "Receipt cannot be confirmed while a dispute is open.",
        "纠纷进行中，无法确认收货。",
    ),
    "refusal.receipt.not_shipped": (
        "Receipt can be confirmed only for a shipped order, not a {status} one.",
        "只有已发货的订单才能确认收货，当前为“{status}”。",
    ),
    "refusal.open.dispute_open": (
        "This order already has an open dispute.",
        "此订单已有进行中的纠纷。",
    ),
    "refusal.open.not_shipped": (
        "A dispute can be opened only after shipment.",
        "订单发货后才能发起纠纷。",
    ),
    "refusal.open.refunded": ("The order is fully refunded.", "此订单已全额退款。"),
    "refusal.open.over": (
        "This order's disputes are over: an earlier dispute ended it.",
        "此订单的纠纷已终结：之前的纠纷已结束该订单。",
    ),
    "refusal.open.too_early": (
        "Disputes can be opened from {days} days after shipment: from {at}.",
        "发货 {days} 天后才能发起纠纷：从 {at} 起。",
    ),
    "refusal.open.too_late": (
        "Disputes can be opened until {days} days after completion: before {at}.",
        "订单完成后 {days} 天内可以发起纠纷：{at} 之前。",
    ),
    "refusal.accept.no_seller_plan": (
        "The seller has proposed no plan to accept.",
        "卖家尚未提出可接受的方案。",
    ),
    "refusal.escalate.in_transit": (
        "A dispute about a parcel in transit escalates by itself at the delivery deadline: {at}.",
        "运输途中的纠纷将在收货截止时间自动升级：{at}。",
    ),
    "refusal.escalate.too_early": (
        "The platform can be asked to step in from day {day} of the dispute, or after the seller "
        "rejects: from {at}.",
        "纠纷第 {day} 天起，或卖家拒绝后，才能申请平台介入：从 {at} 起。",
    ),
    "refusal.action.forbidden": ("Your role may not do that.", "您的角色无权执行此操作。"),
    "refusal.action.automatic": (
        "That step happens automatically.",
        "该步骤由系统自动执行。",
    ),
    "refusal.input": ("A field is missing or malformed: {detail}", "字段缺失或格式有误：{detail}"),
    "refusal.conflict": (
        "Someone changed this order at the same moment. Reload the page and decide again.",
        "此订单刚被他人修改，请刷新页面后重新操作。",
    ),
    "refusal.payload_too_large": ("The file is too large: {detail}", "文件过大：{detail}"),
    "refusal.unsupported_media_type": (
        "This type of file is not accepted: images, PDF, MP4/WebM video or plain text only.",
        "不支持此文件类型：仅支持图片、PDF、MP4/WebM 视频或纯文本。",
    ),
    "refusal.invalid_input": ("Please check the form: {detail}", "请检查表单：{detail}"),
    "refusal.not_found": ("Not found: {detail}", "未找到：{detail}"),
    # carrier advisor
    "nav.carriers": ("Carriers", "物流商建议"),
    "carriers.title": ("Carrier advisor", "物流商建议"),
    "carriers.hint": (
        "From your store's own shipments from {since} to {as_of}, per destination country: how "
        "fast each carrier delivered, how often within the delivery time promised to the "
        "buyer, how many shipments led to a “not received” dispute and how many were "
        "lost; and the carrier to prefer.",
        "根据本店铺 {since} 至 {as_of} 的发货记录，按目的国家统计：各物流商的妥投时效、"
        "在承诺运达时间内妥投的比例、引发“未收到货”纠纷的比例和丢件率，并给出推荐物流商。",
    ),
    "carriers.no_store": ("You have no store to advise on.", "您没有可供分析的店铺。"),
    "carriers.since": ("Shipped since", "发货起始日期"),
    "carriers.none": ("No shipments in this period.", "此期间没有发货记录。"),
    "carriers.shipments": ("{count} shipments", "{count} 单"),
    "carriers.recommended": ("Recommended: {carrier}.", "推荐：{carrier}。"),
    "carriers.recommended_figures": (
        "Delivered within the promise {on_time}; delivery time {p50} (median), {p90} (90%); "
        "“not received” disputes {not_received}; lost {lost}.",
        "承诺时间内妥投 {on_time}；妥投时效中位数 {p50}，90% 在 {p90} 内；"
        "“未收到货”纠纷 {not_received}；丢件 {lost}。",
    ),
    "carriers.compared": (
        "The best of {count} carriers with enough shipments to compare.",
        "在 {count} 家发货量足以比较的物流商中表现最好。",
    ),
    "carriers.only_one": (
        "The only carrier with enough shipments to compare; the others have too few.",
        "唯一发货量足以比较的物流商，其他物流商发货量不足。",
    ),
    "carriers.too_few": (
        "Too few shipments to recommend a carrier: a carrier needs {min} shipments whose "
        "outcome is known, and the most any carrier has here is {most}.",
        "发货量太少，无法推荐物流商：每家物流商需要至少 {min} 单已知结果的发货，"
        "此处最多的一家只有 {most} 单。",
    ),
    "carriers.rate": ("{percent}% ({count} of {of})", "{percent}%（{of} 单中 {count} 单）"),
    "carriers.days": ("{days} days", "{days} 天"),
    "carriers.badge.recommended": ("recommended", "推荐"),
    "carriers.badge.too_few": ("too few shipments", "发货量不足"),
    "carriers.col.shipments": ("Shipments", "发货单数"),
    "carriers.col.delivered": ("Delivered", "已妥投"),
    "carriers.col.p50": ("Delivery time (median)", "妥投时效（中位数）"),
    "carriers.col.p90": ("Delivery time (90%)", "妥投时效（90%）"),
    "carriers.col.on_time": ("Within the promise", "承诺时间内妥投"),
    "carriers.col.not_received": ("“Not received” disputes", "“未收到货”纠纷"),
    "carriers.col.lost": ("Lost", "丢件"),
    "carriers.how.title": ("How these figures are made", "指标说明"),
    "carriers.how.time": (
        "Days from shipment to the carrier's delivery scan, over the delivered shipments: half "
        "arrived within the median, 90% within the second figure (nearest-rank percentiles).",
        "从发货到物流商妥投扫描的天数，仅统计已妥投的包裹：一半包裹在中位数天数内送达，"
        "90% 在第二个数字内送达（最近秩百分位数）。",
    ),
    "carriers.how.on_time": (
        "Of the shipments whose outcome is known (delivered, or the promised delivery time has "
        "passed), those delivered within the days promised to the buyer. Extensions do not "
        "count as the promise.",
        "在结果已知的发货中（已妥投，或承诺运达时间已过），在对买家承诺的天数内妥投的比例。"
        "延长收货时间不计入承诺。",
    ),
    "carriers.how.not_received": (
        "Shipments on which the buyer opened a “not received” dispute, of all shipments.",
        "买家发起“未收到货”纠纷的发货单占全部发货单的比例。",
    ),
    "carriers.how.lost": (
        "Shipments not known to have arrived or come back that have had no news for 30 days "
        "with the delivery deadline more than 10 days past, or that the platform ruled not "
        "received against the seller; of all shipments.",
        "既未确认送达也未退回、且在收货截止时间过后 10 天以上已 30 天无物流更新的发货，"
        "或平台裁决为未收到货且由卖家负责的发货，占全部发货单的比例。",
    ),
    "carriers.how.rule": (
        "Among the carriers with at least {min} shipments whose outcome is known: the highest "
        "share delivered within the promise; on a tie, fewer “not received” "
        "disputes, then fewer lost, then the shorter 90% delivery time, then more shipments.",
        "在已知结果的发货不少于 {min} 单的物流商中，选择承诺时间内妥投比例最高者；"
        "如相同，依次比较“未收到货”纠纷更少、丢件更少、90% 妥投时效更短、发货量更多。",
    ),
    # tracking facts and watch
    "track.status.no_info": ("No information from the carrier", "物流商暂无信息"),
    "track.status.info_received": (
        "Label created: the carrier does not have the parcel yet",
        "已生成运单：物流商尚未收到包裹",
    ),
    "track.status.accepted": ("Accepted by the carrier", "物流商已揽收"),
    "track.status.in_transit": ("In transit", "运输途中"),
    "track.status.arrived_dest_country": ("Arrived in the destination country", "已到达目的国"),
    "track.status.in_customs": ("In customs", "海关清关中"),
    "track.status.action_required": ("Action required", "需要处理"),
    "track.status.at_local_office": ("At the local delivery office", "已到达当地投递点"),
    "track.status.out_for_delivery": ("Out for delivery", "派送中"),
    "track.status.available_for_pickup": ("Waiting for pickup", "到达待取"),
    "track.status.delivery_attempted": ("Delivery attempted, not delivered", "投递未成功"),
    "track.status.delivered": ("Delivered", "已妥投"),
    "track.status.returning": ("Returning to the sender", "退回发件人途中"),
    "track.status.returned": ("Returned to the sender", "已退回发件人"),
    "track.status.exception": ("Problem reported by the carrier", "物流异常"),
    "track.status.no_events": ("No carrier events yet", "暂无物流信息"),
    "track.unclassified": ("Carrier's words not recognised", "无法识别的物流信息"),
    "track.notice_left": ("written notice left", "已留书面通知"),
    "track.time_unknown": ("time not given", "未提供时间"),
    "track.carrier_events": ("Carrier events", "物流轨迹"),
    "track.no_carrier_events": ("No carrier events yet.", "暂无物流轨迹。"),
    "track.leg.return": ("the buyer's return", "买家退货包裹"),
    "track.shipments": ("Shipments", "发货记录"),
    "facts.title": ("Delivery facts", "物流事实"),
    "facts.as_of": ("As of {at}.", "截至 {at}。"),
    "facts.ignored": (
        "{count} events of another tracking number or of the buyer's return are left out.",
        "已排除 {count} 条属于其他运单号或买家退货的物流信息。",
    ),
    "facts.stage": ("Where the parcel is", "包裹状态"),
    "facts.first_scan": ("First carrier scan", "首次揽收扫描"),
    "facts.no_first_scan": (
        "None yet: no carrier has scanned the parcel",
        "尚无：物流商尚未扫描包裹",
    ),
    "facts.last_event": ("Last carrier event", "最近一条物流信息"),
    "facts.days_without_news": ("Days without news", "无更新天数"),
    "facts.silence.since_last_event": (
        "{days} days since the last carrier event ({at})",
        "距最近一条物流信息已 {days} 天（{at}）",
    ),
    "facts.silence.since_shipment": (
        "{days} days since shipment ({at}), with no carrier event at all",
        "发货（{at}）后已 {days} 天，没有任何物流信息",
    ),
    "facts.in_customs_since": ("In customs since", "清关开始时间"),
    "facts.in_customs_line": ("{at} ({days} days)", "{at}（{days} 天）"),
    "facts.action_required": ("Action required", "需要处理"),
    "facts.action.pay_duties.buyer": (
        "The buyer must pay import duties or taxes (asked {at})",
        "买家需缴纳进口关税或税费（{at} 提出）",
    ),
    "facts.action.pay_duties.seller": (
        "The sender must pay duties (asked {at})",
        "发件人需缴纳关税（{at} 提出）",
    ),
    "facts.action.clearance_data.seller": (
        "The sender must supply customs clearance data (asked {at})",
        "发件人需提供清关资料（{at} 提出）",
    ),
    "facts.action.clearance_data.unknown": (
        "Customs clearance data is needed; the carrier does not say from whom (asked {at})",
        "需要清关资料，物流商未说明由谁提供（{at} 提出）",
    ),
    "facts.action.address_data.unknown": (
        "The carrier needs address or contact details to deliver (asked {at})",
        "物流商需要地址或联系方式才能投递（{at} 提出）",
    ),
    "facts.action.collect.buyer": (
        "The buyer must collect the parcel (since {at})",
        "买家需前往取件（自 {at} 起）",
    ),
    "facts.action.unknown.unknown": (
        "The carrier asks for an action it does not explain (asked {at})",
        "物流商要求处理，但未说明具体事项（{at} 提出）",
    ),
    "facts.pickup_notice": ("Pickup notice left", "取件通知"),
    "facts.pickup_notice_line": ("Yes: {event}", "已留书面通知：{event}"),
    "facts.pickup_notice_none": ("No written notice is recorded", "没有书面取件通知的记录"),
    "facts.delivered": ("Delivered", "妥投"),
    "facts.not_delivered": ("Not delivered", "未妥投"),
    "facts.signed_by": ("signed by {name}", "签收人 {name}"),
    "facts.returning": ("Returning to the sender", "退回发件人途中"),
    "facts.returned": ("Returned to the sender", "已退回发件人"),
    "facts.reading": ("What it counts as", "按规则视为"),
    "facts.reading.all_parts_match": (
        "Delivered, and an accurate match: the buyer is asked to confirm; with no objection or "
        "no answer in time, the funds go to the seller (principle 3).",
        "已妥投且准确匹配：平台将请买家确认；买家无异议或未按时答复，款项放给卖家（原则 3）。",
    ),
    "facts.reading.a_part_does_not_match": (
        "Delivered, but not an accurate match: the seller must show the delivery note (label "
        "with barcode, address, customs declaration) (principle 4).",
        "已妥投但未准确匹配：卖家需提供发货底单（含条码、地址、报关信息）（原则 4）。",
    ),
    "facts.reading.a_part_is_unknown": (
        "Delivered, but the carrier does not show every part of the match: the seller may need "
        "to show the delivery note (principle 4).",
        "已妥投，但物流信息未能显示全部匹配项：卖家可能需要提供发货底单（原则 4）。",
    ),
    "facts.reading.written_notice_left": (
        "Arrived for pickup with a written notice left: the buyer's responsibility (principle 2).",
        "已到达待取且留有书面通知：由买家负责（原则 2）。",
    ),
    "facts.reading.returned_to_sender": ("Returned to the sender.", "已退回发件人。"),
    "facts.reading.turned_back": ("On its way back to the sender.", "正在退回发件人。"),
    "facts.reading.no_valid_scan": (
        "No valid carrier scan: tracking not found or incomplete (principle 1, once the "
        "promised time is over).",
        "没有有效的物流扫描：物流信息查不到或不完整（承诺时效结束后适用原则 1）。",
    ),
    "facts.reading.buyer_asked_to_pay": (
        "Held for duties the buyer must pay (principle 6, when the listing told the buyer "
        "about them).",
        "因买家需缴纳的税费被扣留（若商品页面已告知买家，适用原则 6）。",
    ),
    "facts.reading.local_office_without_notice": (
        "Still in transit: at a local office without a written notice (principle 2).",
        "仍视为运输途中：已到当地投递点，但没有书面通知（原则 2）。",
    ),
    "facts.reading.pickup_without_notice": (
        "Still in transit: waiting for pickup, but no written notice is recorded (principle 2).",
        "仍视为运输途中：包裹待取，但没有书面通知的记录（原则 2）。",
    ),
    "facts.reading.at_import_exchange_office": (
        "Still in transit: at the import exchange office or in customs (principle 2).",
        "仍视为运输途中：位于进口互换局或海关（原则 2）。",
    ),
    "facts.reading.on_its_way": ("Still in transit.", "仍在运输途中。"),
    "facts.match": ("Does the delivery match the order?", "妥投信息与订单是否一致？"),
    "facts.match.col.part": ("Part", "项目"),
    "facts.match.col.result": ("Result", "结果"),
    "facts.match.col.why": ("Why", "依据"),
    "facts.match.part.city": ("City", "城市"),
    "facts.match.part.zip": ("Zip code", "邮编"),
    "facts.match.part.recipient": ("Recipient", "收件人"),
    "facts.match.part.time": ("Time", "时间"),
    "facts.match.result.matched": ("matches", "一致"),
    "facts.match.result.mismatched": ("does not match", "不一致"),
    "facts.match.result.unknown": ("unknown", "无法确认"),
    "facts.match.overall.matched": (
        "An accurate match: time, city, zip code and recipient agree with the order.",
        "准确匹配：时间、城市、邮编和收件人均与订单一致。",
    ),
    "facts.match.overall.mismatched": (
        "Not an accurate match: at least one part differs from the order.",
        "未准确匹配：至少有一项与订单不一致。",
    ),
    "facts.match.overall.unknown": (
        "Not shown to match: the carrier does not say every part.",
        "无法证明匹配：物流信息未包含全部项目。",
    ),
    "facts.rule.same_city": ("the carrier says {tracking}", "物流信息为 {tracking}"),
    "facts.rule.city_within_place": (
        "the carrier's “{tracking}” names {order}",
        "物流信息“{tracking}”包含 {order}",
    ),
    "facts.rule.city_in_place_text": (
        "the carrier's place “{tracking}” names {order}",
        "物流地点“{tracking}”包含 {order}",
    ),
    "facts.rule.city_in_facility": (
        "the carrier's facility “{tracking}” names {order}",
        "物流网点“{tracking}”包含 {order}",
    ),
    "facts.rule.city_in_description": (
        "the carrier's words name {order}",
        "物流描述中提到 {order}",
    ),
    "facts.rule.different_city": (
        "the carrier says {tracking}; the order says {order}",
        "物流信息为 {tracking}，订单为 {order}",
    ),
    "facts.rule.city_not_named": (
        "the carrier's place “{tracking}” does not name {order}",
        "物流地点“{tracking}”未提到 {order}",
    ),
    "facts.rule.no_place": ("the carrier gives no place", "物流信息没有地点"),
    "facts.rule.order_has_no_city": ("the order's address has no city", "订单地址没有城市"),
    "facts.rule.same_zip": ("the carrier says {tracking}", "物流信息为 {tracking}"),
    "facts.rule.zip_plus4": (
        "the carrier's {tracking} is the ZIP of {order}",
        "物流邮编 {tracking} 即订单邮编 {order} 的主体",
    ),
    "facts.rule.zip_in_place_text": (
        "the carrier's place “{tracking}” names {order}",
        "物流地点“{tracking}”包含 {order}",
    ),
    "facts.rule.zip_in_description": (
        "the carrier's words name {order}",
        "物流描述中提到 {order}",
    ),
    "facts.rule.partial_zip": (
        "the carrier gives only {tracking}, a part of {order}",
        "物流信息只给出 {tracking}，是 {order} 的一部分",
    ),
    "facts.rule.different_zip": (
        "the carrier says {tracking}; the order says {order}",
        "物流信息为 {tracking}，订单为 {order}",
    ),
    "facts.rule.no_zip": ("the carrier gives no zip code", "物流信息没有邮编"),
    "facts.rule.order_has_no_zip": ("the order's address has no zip code", "订单地址没有邮编"),
    "facts.rule.same_name": (
        "signed by {tracking}, the order's recipient",
        "签收人 {tracking}，即订单收件人",
    ),
    "facts.rule.name_reordered": (
        "signed by {tracking}: the names of {order} in another order",
        "签收人 {tracking}：与 {order} 姓名相同，顺序不同",
    ),
    "facts.rule.initial_and_surname": (
        "signed by {tracking}: initial and surname of {order}",
        "签收人 {tracking}：为 {order} 的名字首字母加姓氏",
    ),
    "facts.rule.name_part": (
        "signed by {tracking}: one of the names of {order}",
        "签收人 {tracking}：为 {order} 姓名的一部分",
    ),
    "facts.rule.different_name": (
        "signed by {tracking}, not {order}",
        "签收人 {tracking}，而非 {order}",
    ),
    "facts.rule.handed_to_someone_else": (
        "the carrier says someone else took it (a neighbour, a reception, another person)",
        "物流信息显示由他人代收（邻居、前台或其他人）",
    ),
    "facts.rule.no_name_given": (
        "the signature field names nobody (“{tracking}”)",
        "签收栏没有姓名（“{tracking}”）",
    ),
    "facts.rule.no_recipient_named": (
        "the carrier names nobody who took it",
        "物流信息没有签收人",
    ),
    "facts.rule.order_has_no_recipient": ("the order names no recipient", "订单没有收件人"),
    "facts.rule.in_window": (
        "delivered {at}, between shipment ({start}) and the delivery deadline ({end})",
        "妥投时间 {at}，在发货（{start}）与收货截止时间（{end}）之间",
    ),
    "facts.rule.before_shipment": (
        "delivered {at}, before the shipment ({start})",
        "妥投时间 {at}，早于发货时间（{start}）",
    ),
    "facts.rule.after_deadline": (
        "delivered {at}, after the delivery deadline ({end})",
        "妥投时间 {at}，晚于收货截止时间（{end}）",
    ),
    "facts.rule.no_delivery_time": (
        "the carrier gives no delivery time",
        "物流信息没有妥投时间",
    ),
    "facts.rule.no_order_window": (
        "delivered {at}; the order has no delivery window to compare with",
        "妥投时间 {at}；订单没有可比对的收货时间范围",
    ),
    "watch.title": ("Shipment alerts", "物流预警"),
    "watch.hint": (
        "What the shipment watch saw before any dispute, newest first.",
        "物流监控在纠纷发生前发现的情况，最新的在前。",
    ),
    "watch.more": ("{count} more open alerts.", "另有 {count} 条未处理的预警。"),
    "watch.raised": ("raised {at}", "{at} 发出"),
    "watch.dismiss": ("Dismiss", "忽略"),
    "watch.extend_button": ("Extend delivery by {days} days", "延长收货时间 {days} 天"),
    "watch.kind.no_news": ("No news", "长时间无更新"),
    "watch.kind.held_in_customs": ("Held in customs", "海关扣留"),
    "watch.kind.action_required": ("Action required", "需要处理"),
    "watch.kind.returning": ("Returning", "退回途中"),
    "watch.kind.returned": ("Returned", "已退回"),
    "watch.kind.deadline_close": ("Deadline close", "临近收货截止"),
    "watch.kind.extend_delivery": ("Structural delays", "结构性延误"),
    "watch.no_news.last": (
        "No carrier news for {days} days, since {since}.",
        "已 {days} 天没有物流更新（最近一条：{since}）。",
    ),
    "watch.no_news.shipment": (
        "No carrier event at all in the {days} days since shipment ({since}).",
        "发货（{since}）后 {days} 天内没有任何物流信息。",
    ),
    "watch.limit": (
        "The watch alerts after {limit} days.",
        "超过 {limit} 天即预警。",
    ),
    "watch.limit.for": (
        "The watch alerts after {limit} days for {who}.",
        "{who} 超过 {limit} 天即预警。",
    ),
    "watch.held_in_customs": (
        "Held in customs for {days} days, since {since} (the watch alerts after more than "
        "{limit} days).",
        "已在海关 {days} 天，自 {since} 起（超过 {limit} 天即预警）。",
    ),
    "watch.action_required": ("{action}.", "{action}。"),
    "watch.returning": (
        "The parcel is on its way back to the sender, since {since}.",
        "包裹自 {since} 起正在退回发件人。",
    ),
    "watch.returned": (
        "The parcel was returned to the sender on {at}.",
        "包裹已于 {at} 退回发件人。",
    ),
    "watch.deadline_close": (
        "The delivery deadline is {deadline}, {left} from now, and the parcel is not delivered "
        "({stage}).",
        "收货截止时间为 {deadline}，还剩 {left}，包裹尚未妥投（{stage}）。",
    ),
    "watch.extend_delivery": (
        "Deliveries to {country} have structural delays and the deadline is {deadline}, under "
        "{limit} days from now ({left}): extending delivery by {days} days is advised.",
        "寄往 {country} 的物流存在结构性延误，收货截止时间为 {deadline}，已不足 {limit} 天"
        "（还剩 {left}）：建议延长收货时间 {days} 天。",
    ),
    "watch.action.ask_carrier": (
        "Ask the carrier for the latest information",
        "向物流商查询最新信息",
    ),
    "watch.action.check_customs": (
        "Check the customs status with the carrier",
        "向物流商核实清关状态",
    ),
    "watch.action.ask_buyer_to_pay": ("Ask the buyer to pay the duties", "提醒买家缴纳税费"),
    "watch.action.supply_clearance_data": (
        "Send the carrier the clearance data",
        "向物流商提供清关资料",
    ),
    "watch.action.confirm_address": ("Confirm the address with the buyer", "与买家核实地址"),
    "watch.action.ask_buyer_to_collect": (
        "Ask the buyer to collect the parcel",
        "提醒买家取件",
    ),
    "watch.action.contact_buyer": ("Contact the buyer", "联系买家"),
    "watch.action.extend_delivery": ("Extend the delivery time", "延长收货时间"),
    "act.dismiss_alert": ("Alert dismissed", "预警已忽略"),
    # seller center (12-B): return addresses, the order's items and people on the dispute page,
    # evidence thumbnails, forms that tell the truth, search, the CSV export, bulk accept
    "nav.returns": ("Return addresses", "退货地址"),
    "check.too_long": (
        "“{field}” is too long: at most {limit} characters (this one has {length}). "
        "Nothing was sent.",
        "“{field}”过长：最多 {limit} 个字符（当前 {length} 个）。未提交任何内容。",
    ),
    "check.too_long_kept": (
        "“{field}” is too long: at most {limit} characters.",
        "“{field}”过长：最多 {limit} 个字符。",
    ),
    "check.required": ("“{field}” is required.", "请填写“{field}”。"),
    "check.country": ("“{field}”: choose a country.", "“{field}”：请选择国家。"),
    "check.unstorable": (
        "“{field}” holds characters that cannot be kept.",
        "“{field}”包含无法保存的字符。",
    ),
    "check.this_file": ("this file", "此文件"),
    "check.file_too_large": (
        "The file “{name}” is too large: a file may be at most {limit}. Nothing was sent.",
        "文件“{name}”过大：单个文件不能超过 {limit}。未提交任何内容。",
    ),
    "check.file_empty": (
        "The file “{name}” is empty. Nothing was sent.",
        "文件“{name}”是空的。未提交任何内容。",
    ),
    "check.file_type": (
        "The file “{name}” is not a type we accept: images, PDF, MP4/WebM video or plain text "
        "only. Nothing was sent.",
        "文件“{name}”的类型不受支持：仅支持图片、PDF、MP4/WebM 视频或纯文本。未提交任何内容。",
    ),
    "check.too_many_files": (
        "At most {most} files can be sent at once; you chose {chosen}. Nothing was sent.",
        "一次最多可提交 {most} 个文件，您选择了 {chosen} 个。未提交任何内容。",
    ),
    "check.link": (
        "The video link must be a web address starting with http:// or https://. Nothing was sent.",
        "视频链接必须是以 http:// 或 https:// 开头的网址。未提交任何内容。",
    ),
    "check.evidence_empty": (
        "This evidence has no description, file or link. Describe what it shows, and add a file "
        "or a link if you have one.",
        "此证据没有说明、文件或链接。请说明证据内容，如有文件或链接请一并添加。",
    ),
    "check.describe": (
        "Describe what the evidence shows: the description is required.",
        "请说明证据的内容：说明为必填项。",
    ),
    "check.amount_missing": (
        "Give the amount you ask for (at most {max}).",
        "请填写您申请的金额（最多 {max}）。",
    ),
    "check.files_again": (
        "Files you chose are not kept when a form is refused: choose them again.",
        "表单被拒绝时不会保留已选择的文件：请重新选择。",
    ),
    "check.sent_with_dispute": ("Sent with the dispute", "随纠纷一同提交"),
    "check.field.note": ("Note", "备注"),
    "check.field.amount": ("Amount", "金额"),
    "check.field.link": ("Video link", "视频链接"),
    "check.field.description": ("Description", "说明"),
    "check.field.q": ("Search", "搜索"),
    "check.field.region": ("Returns from", "退货来源"),
    "check.field.recipient": ("Recipient", "收件人"),
    "check.field.line1": ("Address", "地址"),
    "check.field.line2": ("Address, second line", "地址第二行"),
    "check.field.city": ("City", "城市"),
    "check.field.state": ("State or province", "州/省"),
    "check.field.zip": ("Postal code", "邮政编码"),
    "check.field.country": ("Country", "国家"),
    "check.field.phone": ("Phone", "电话"),
    "returns.title": ("Return addresses", "退货地址"),
    "returns.hint": (
        "Where buyers send returns: an address for a destination country, and a default for "
        "every other country. In the return stage, the buyer's dispute page shows the address "
        "for the order's country, else the default.",
        "买家退货的寄送地址：可为某个目的国家设置地址，并为其他所有国家设置默认地址。"
        "在退货阶段，买家的纠纷页面会显示订单目的国家的地址，没有时显示默认地址。",
    ),
    "returns.store": ("Store", "店铺"),
    "returns.default": ("Every other country (default)", "其他所有国家（默认）"),
    "returns.for_country": ("Returns from {country}", "来自{country}的退货"),
    "returns.none": ("This store has no return address yet.", "此店铺尚未设置退货地址。"),
    "returns.uncovered": (
        "There is no default address: returns from {countries} have nowhere to go. Add a "
        "default (“Every other country”) or an address for each of them.",
        "尚未设置默认地址：来自 {countries} 的退货无处可寄。请添加默认地址（“其他所有国家”），"
        "或为这些国家分别添加地址。",
    ),
    "returns.no_default": (
        "There is no default address: returns from a country without its own address have "
        "nowhere to go.",
        "尚未设置默认地址：没有单独地址的国家的退货将无处可寄。",
    ),
    "returns.edit": ("Edit", "编辑"),
    "returns.remove": ("Remove", "删除"),
    "returns.form_title": ("Add or change an address", "添加或修改地址"),
    "returns.save": ("Save the return address", "保存退货地址"),
    "returns.owner_only": (
        "Only the store's owner can change its return addresses.",
        "只有店铺所有者可以修改退货地址。",
    ),
    "returns.choose_region": (
        "Choose the country whose returns go to this address (or “Every other country”).",
        "请选择使用此地址的退货来源国家（或“其他所有国家”）。",
    ),
    "returns.updated": ("Updated {at}", "更新于 {at}"),
    "returns.no_stores": ("You are not staff of any store.", "您不是任何店铺的员工。"),
    "returns.optional": ("(optional)", "（选填）"),
    "act.save_return_address": ("Return address saved", "退货地址已保存"),
    "act.delete_return_address": ("Return address removed", "退货地址已删除"),
    "summary.title": ("Product information", "商品信息"),
    "summary.product": ("Product", "商品"),
    "summary.variant": ("Variant", "规格"),
    "summary.quantity": ("Quantity", "数量"),
    "summary.unit_price": ("Unit price", "单价"),
    "summary.image": ("Picture", "图片"),
    "summary.image_link": ("See the picture", "查看图片"),
    "summary.no_items": ("The order lists no items.", "订单未列出商品。"),
    "summary.buyer": ("Buyer", "买家"),
    "summary.ship_to": ("Shipping address", "收货地址"),
    "summary.phone": ("Phone", "电话"),
    "return.title": ("Return address", "退货地址"),
    "return.buyer_send": ("Send the goods to this address:", "请将货物寄到以下地址："),
    "return.buyer_none": (
        "The seller has not given a return address yet. Ask for it in the messages before "
        "you ship the return.",
        "卖家尚未提供退货地址。寄出退货前，请先在留言中向卖家索取。",
    ),
    "return.agreed": (
        "Agreed: the goods come back for a refund of {amount} (agreed {at}).",
        "已达成一致：退货后退款 {amount}（{at} 达成）。",
    ),
    "return.seller_country": (
        "The buyer sends the goods to your return address for {country}:",
        "买家会将货物寄到您为{country}设置的退货地址：",
    ),
    "return.seller_default": (
        "The buyer sends the goods to your default return address:",
        "买家会将货物寄到您的默认退货地址：",
    ),
    "return.seller_none": (
        "Your store has no return address for {country} and no default: the buyer does not "
        "know where to send the goods.",
        "您的店铺没有适用于{country}的退货地址，也没有默认地址：买家不知道应将货物寄往何处。",
    ),
    "return.other_send": ("The buyer sends the goods to:", "买家将货物寄往："),
    "return.other_none": (
        "The store has no return address for {country} and no default.",
        "该店铺没有适用于{country}的退货地址，也没有默认地址。",
    ),
    "return.this_country": ("the order's country", "订单目的国家"),
    "return.add": ("Add a return address", "添加退货地址"),
    "return.change": ("Change the return addresses", "修改退货地址"),
    "return.shipped": (
        "The buyer shipped the return on {at} with {carrier}, tracking number {number}.",
        "买家已于 {at} 通过 {carrier} 寄出退货，运单号 {number}。",
    ),
    "evidence.photo_of": ("Picture: {name}", "图片：{name}"),
    "evidence.video_link": ("Video link", "视频链接"),
    "evidence.file": ("File", "文件"),
    "search.label": ("Search", "搜索"),
    "search.placeholder": ("Order number, tracking number or buyer", "订单号、运单号或买家"),
    "export.link": ("Export these disputes (CSV)", "导出这些纠纷（CSV）"),
    "export.order": ("Order number", "订单号"),
    "export.dispute": ("Dispute", "纠纷序号"),
    "export.status": ("Status", "状态"),
    "export.reason": ("Reason", "原因"),
    "export.buyer": ("Buyer", "买家"),
    "export.country": ("Country", "国家"),
    "export.carrier": ("Carrier", "物流商"),
    "export.tracking_number": ("Tracking number", "运单号"),
    "export.order_total": ("Order total", "订单金额"),
    "export.currency": ("Currency", "币种"),
    "export.buyer_plan": ("Buyer plan", "买家方案"),
    "export.seller_plan": ("Seller plan", "卖家方案"),
    "export.opened": ("Opened ({zone})", "发起时间（{zone}）"),
    "export.next_deadline": ("Next deadline ({zone})", "下一截止时间（{zone}）"),
    "export.then": ("Then", "届时"),
    "export.outcome": ("Outcome", "处理结果"),
    "export.refunded": ("Refunded", "退款金额"),
    "export.closed": ("Closed ({zone})", "结束时间（{zone}）"),
    "bulk.title": ("Accept several refunds", "批量接受退款"),
    "bulk.hint": (
        "Refund-only requests up to an amount that you may accept now. You see the list and "
        "confirm it before anything is accepted.",
        "不超过指定金额、且您现在可以接受的仅退款申请。接受前会先列出清单供您确认。",
    ),
    "bulk.max_amount": ("Up to", "金额不超过"),
    "bulk.currency": ("Currency", "币种"),
    "bulk.find": ("List them", "列出"),
    "bulk.confirm_title": ("Accept these refunds?", "接受这些退款？"),
    "bulk.confirm_hint": (
        "Each buyer plan below is accepted as it is now: the buyer is refunded that amount and "
        "the dispute closes. Untick any you want to leave out. A case that changes before you "
        "send this is left alone.",
        "以下每个买家方案都将按当前内容被接受：向买家退还该金额，纠纷随即结束。"
        "如需排除某个纠纷，请取消勾选。在您提交前发生变化的纠纷不会被处理。",
    ),
    "bulk.none": (
        "No open refund-only dispute asks for at most {amount} and can be accepted now.",
        "没有金额不超过 {amount} 且现在可以接受的进行中仅退款纠纷。",
    ),
    "bulk.more": (
        "Only the first {limit} are listed: accept these, then look again.",
        "仅列出前 {limit} 个：接受后请再次查看。",
    ),
    "bulk.submit": (
        "Accept the checked refunds ({count} listed)",
        "接受已勾选的退款（共列出 {count} 笔）",
    ),
    "bulk.total": ("Together: {total}", "合计：{total}"),
    "bulk.back": ("Back to the disputes", "返回纠纷列表"),
    "bulk.bad_amount": (
        "The amount “{text}” is not an amount: digits, with at most 2 decimals, more than 0.",
        "金额“{text}”无效：只能是大于 0 的数字，最多 2 位小数。",
    ),
    "bulk.choose_currency": ("Choose the currency of the amount.", "请选择金额的币种。"),
    "bulk.nothing_chosen": (
        "Choose at least one dispute to accept (at most {most} at once).",
        "请至少选择一个要接受的纠纷（一次最多 {most} 个）。",
    ),
    "bulk.done_title": ("Refunds accepted", "批量接受结果"),
    "bulk.done_summary": (
        "{accepted} of {count} accepted.",
        "共 {count} 个，已接受 {accepted} 个。",
    ),
    "bulk.accepted": ("Accepted: {plan}.", "已接受：{plan}。"),
    "bulk.not_found": ("Not found, or not yours to see.", "未找到，或您无权查看。"),
    "bulk.denied": (
        "Not accepted: you may not accept this refund in this store. Ask its owner.",
        "未接受：您在此店铺无权接受这笔退款，请联系店铺所有者。",
    ),
    "bulk.plan_changed": (
        "Not accepted: the buyer's plan is now {plan}, not what you confirmed.",
        "未接受：买家方案现为 {plan}，与您确认的不同。",
    ),
    "bulk.changed": (
        "Not accepted: the case changed after you confirmed. Look at it again.",
        "未接受：您确认后纠纷发生了变化，请重新查看。",
    ),
    # staff, arbitrators, messages (12-C): the staff page and invitations, permissions in
    # words, who acted in the timeline, case claims and the queue's filters, the ruling's
    # reason, message attachments and unread counts
    "nav.staff": ("Staff", "员工"),
    "staff.title": ("Staff of {store}", "{store} 的员工"),
    "staff.hint": (
        "Owners may do everything. Invite agents and choose what each may do: answer disputes, "
        "refund up to an amount, manage evidence, see metrics.",
        "店主拥有全部权限。邀请客服，并为每人选择权限：处理纠纷、在限额内退款、管理证据、查看指标。",
    ),
    "staff.store": ("Store", "店铺"),
    "staff.members": ("Who works in the store", "店铺成员"),
    "staff.col.name": ("Name", "姓名"),
    "staff.col.email": ("Email", "邮箱"),
    "staff.col.role": ("Role", "角色"),
    "staff.col.permissions": ("May", "权限"),
    "staff.col.actions": ("Change", "操作"),
    "staff.role.owner": ("owner", "店主"),
    "staff.role.agent": ("agent", "客服"),
    "staff.you": ("you", "您"),
    "staff.perm.answer_disputes": ("Answer disputes", "处理纠纷"),
    "staff.perm.manage_evidence": ("Manage evidence", "管理证据"),
    "staff.perm.see_metrics": ("See metrics", "查看指标"),
    "staff.perm.refund_up_to": ("Refund up to", "退款上限"),
    "staff.perm.no_limit": ("no limit", "不限"),
    "staff.perm.refund_hint": (
        "In each order's own currency; leave it empty for no limit.",
        "按各订单自身的币种计算；留空表示不限金额。",
    ),
    "staff.perm.refund_limit": ("refunds up to {limit}", "退款上限 {limit}"),
    "staff.perm.no_refund_limit": ("refunds of any amount", "退款不限金额"),
    "staff.perm.everything": ("Everything", "全部权限"),
    "staff.perm.nothing": ("Read only", "仅查看"),
    "staff.owner_everything": (
        "An owner may do everything; the permissions apply to agents.",
        "店主拥有全部权限；以上权限仅适用于客服。",
    ),
    "staff.change": ("Change", "修改"),
    "staff.save": ("Save", "保存"),
    "staff.remove": ("Remove from the staff", "移出店铺"),
    "staff.remove_confirm": (
        "Remove {name} ({email}) from the staff of {store}? They keep their account but no "
        "longer see the store's orders; a new invitation brings them back.",
        "将 {name}（{email}）移出 {store}？其账户保留，但将无法再查看本店订单；重新邀请即可恢复。",
    ),
    "staff.invite.title": ("Invite someone", "邀请成员"),
    "staff.invite.hint": (
        "The link is shown once and works for 7 days, for that email only: they sign in, or "
        "create their seller account, from it.",
        "邀请链接只显示一次，7 天内有效，且仅限该邮箱使用："
        "对方通过链接登录或创建卖家账户即可加入。",
    ),
    "staff.invite.submit": ("Create the invitation link", "生成邀请链接"),
    "staff.invite.created": ("Invitation created", "邀请已生成"),
    "staff.invite.link": (
        "Send this link to {email}. It is shown only now and works until {expires}.",
        "请将此链接发送给 {email}。链接仅在此显示一次，有效期至 {expires}。",
    ),
    "staff.invite.link_label": ("Invitation link", "邀请链接"),
    "staff.invitations": ("Invitations not accepted yet", "尚未接受的邀请"),
    "staff.invitation.expires": ("expires {at}", "{at} 过期"),
    "staff.invitation.expired": ("expired {at}", "已于 {at} 过期"),
    "staff.withdraw": ("Withdraw", "撤回"),
    "act.staff_changed": ("Permissions saved", "权限已保存"),
    "act.staff_removed": ("Removed from the staff", "已移出店铺"),
    "act.invitation_withdrawn": ("Invitation withdrawn", "邀请已撤回"),
    "act.joined_store": ("You joined the store's staff", "您已加入店铺"),
    "invite.title": ("Invitation to {store}", "加入 {store} 的邀请"),
    "invite.title_plain": ("Invitation", "邀请"),
    "invite.intro": (
        "{store} invites {email} to its staff as {role}.",
        "{store} 邀请 {email} 以{role}身份加入店铺。",
    ),
    "invite.can": ("What you will be able to do: {what}.", "您将可以：{what}。"),
    "invite.expires": ("The invitation works until {at}.", "邀请有效期至 {at}。"),
    "invite.accept": ("Join {store}", "加入 {store}"),
    "invite.sign_in": ("Sign in as {email} to accept", "以 {email} 登录后接受"),
    "invite.other_account": (
        "This invitation is for {email}, and you are signed in as {you}. Sign out, then open "
        "the link again.",
        "此邀请发给 {email}，而您当前以 {you} 登录。请退出后重新打开链接。",
    ),
    "invite.not_seller": (
        "{email} is not a seller account: only a seller account can join a store's staff.",
        "{email} 不是卖家账户：只有卖家账户才能加入店铺。",
    ),
    "invite.create": ("Create your seller account", "创建卖家账户"),
    "invite.name": ("Your name", "您的姓名"),
    "invite.password": ("Password (at least 8 characters)", "密码（至少 8 个字符）"),
    "invite.create_submit": ("Create the account and join {store}", "创建账户并加入 {store}"),
    "invite.invalid": (
        "This invitation link does not work: it was used or withdrawn, or it never existed. "
        "Ask the store's owner for a new one.",
        "此邀请链接无效：它已被使用、已被撤回或并不存在。请向店主索取新的邀请。",
    ),
    "invite.expired": (
        "This invitation expired. Ask the store's owner for a new one.",
        "此邀请已过期。请向店主索取新的邀请。",
    ),
    "perm.denied.answer_disputes": (
        "Your permissions in store {store} do not include answering disputes. Ask an owner of "
        "the store.",
        "您在店铺 {store} 的权限不包括处理纠纷。请联系店主。",
    ),
    "perm.denied.manage_evidence": (
        "Your permissions in store {store} do not include managing evidence. Ask an owner of "
        "the store.",
        "您在店铺 {store} 的权限不包括管理证据。请联系店主。",
    ),
    "perm.denied.see_metrics": (
        "Your permissions in store {store} do not include seeing its metrics.",
        "您在店铺 {store} 的权限不包括查看指标。",
    ),
    "perm.denied.staff": ("You are not staff of store {store}.", "您不是店铺 {store} 的成员。"),
    "perm.denied.refund": (
        "Your refunds in store {store} are limited to {limit}; this one is {amount}. Ask an "
        "owner of the store.",
        "您在店铺 {store} 的退款上限为 {limit}，本次为 {amount}。请联系店主。",
    ),
    "timeline.by": ("{name} ({role})", "{name}（{role}）"),
    "claim.title": ("Who works this case", "案件处理人"),
    "claim.unclaimed": (
        "No arbitrator holds this case yet. Claim it so that nobody else works it.",
        "目前没有仲裁员认领此案件。认领后，其他仲裁员将无法处理。",
    ),
    "claim.yours": ("You hold this case since {at}.", "您自 {at} 起认领了此案件。"),
    "claim.claimed_by": ("Claimed by {name} since {at}.", "由 {name} 于 {at} 认领。"),
    "claim.claim": ("Claim the case", "认领案件"),
    "claim.claim_named": ("Claim the case of order {id}", "认领案件（订单 {id}）"),
    "claim.release": ("Release the case", "释放案件"),
    "claim.refused": (
        "Another arbitrator holds this case: claimed by {name} since {at}.",
        "此案件已由其他仲裁员处理：{name} 于 {at} 认领。",
    ),
    "act.claim_case": ("Case claimed", "案件已认领"),
    "act.release_case": ("Case released", "案件已释放"),
    "queue.claimed": ("Claimed by", "认领人"),
    "queue.claimed.mine": ("Mine", "我认领的"),
    "queue.claimed.nobody": ("Nobody yet", "尚未认领"),
    "queue.held_by_you": ("you", "您"),
    "queue.overdue_only": ("Overdue only", "仅显示已超时"),
    "form.ruling_reason": (
        "Reason for the ruling (both parties will read it)",
        "裁决理由（买卖双方均可见）",
    ),
    "check.ruling_reason": (
        "Write the reason for the ruling: both parties will read it.",
        "请填写裁决理由：买卖双方都会看到。",
    ),
    "dispute.ruling_reason": ("reason", "理由"),
    "thread.attach": (
        "Attach an image or a PDF (at most {limit})",
        "附加图片或 PDF（最大 {limit}）",
    ),
    "thread.image": ("Image sent: {name}", "已发送的图片：{name}"),
    "thread.file_size": ("{kb} KB", "{kb} KB"),
    "thread.file_type": (
        "Only images and PDF files can be sent with a message.",
        "消息只能附加图片或 PDF 文件。",
    ),
    "thread.file_too_large": (
        "The file is too large: at most {limit}.",
        "文件过大：最大 {limit}。",
    ),
    "thread.empty": ("Write a message or attach a file.", "请填写消息或附加文件。"),
    "thread.unread": ("{count} unread", "{count} 条未读"),
    # --- messages, reminders and email in the desk (issue 13: web/messaging_pages.py,
    # web/template_pages.py, web/notification_pages.py, web/messaging_words.py): suggested
    # replies, the store's messaging settings, the template editor, the delivery log,
    # notifications, personal settings, the demo's mailbox
    "msg.nav.messaging": ("Messaging", "消息设置"),
    "msg.nav.notifications": ("Notifications", "通知"),
    "msg.nav.unread": ("{count} unread", "{count} 条未读"),
    "msg.nav.me": ("My settings", "我的设置"),
    "msg.nav.mail": ("Email (demo mailbox)", "邮件（演示邮箱）"),
    "msg.tabs.label": ("Messaging pages", "消息页面"),
    "msg.tabs.settings": ("Settings", "设置"),
    "msg.tabs.templates": ("Templates", "消息模板"),
    "msg.tabs.deliveries": ("Delivery log", "发送记录"),
    "msg.owner_only": (
        "Only the store's owner changes these settings; you can read them.",
        "只有店主可以修改这些设置；您可以查看。",
    ),
    "msg.channel.in_app": ("In the app", "站内"),
    "msg.channel.email": ("Email", "邮件"),
    "msg.channel.webhook": ("Webhook", "Webhook 推送"),
    "msg.channel.none": ("no channel", "无渠道"),
    "msg.audience.buyer": ("The buyer", "买家"),
    "msg.audience.store": ("The store's staff", "店铺员工"),
    "msg.audience.to_buyer": ("to the buyer", "发给买家"),
    "msg.audience.to_store": ("to the store's staff", "发给店铺员工"),
    "msg.purpose.reply": ("Reply", "回复"),
    "msg.purpose.notice": ("Notice", "通知"),
    "msg.purpose.reminder": ("Reminder before a deadline", "截止前提醒"),
    "msg.purpose.auto_reply": ("Automatic reply", "自动回复"),
    "msg.purpose.reply.plural": ("Replies the staff send", "员工发送的回复"),
    "msg.purpose.notice.plural": ("Notices sent when something happens", "事件发生时发送的通知"),
    "msg.purpose.reminder.plural": ("Reminders before deadlines", "截止前提醒"),
    "msg.purpose.auto_reply.plural": (
        "The automatic reply outside working hours",
        "非工作时间的自动回复",
    ),
    "msg.origin.shipped": ("Shipped words", "系统自带"),
    "msg.origin.edited": ("Edited by the store", "店铺已修改"),
    "msg.origin.store": ("The store's own", "店铺自建"),
    "msg.trigger.shipped": ("The order was shipped (or a replacement)", "订单已发货（含补发）"),
    "msg.trigger.arrived_dest_country": (
        "The parcel reached the destination country",
        "包裹已到达目的国",
    ),
    "msg.trigger.in_customs": ("The parcel is at customs", "包裹正在清关"),
    "msg.trigger.pickup_notice": ("The carrier left a pickup notice", "物流商留下了取件通知"),
    "msg.trigger.delivered": ("The parcel was delivered", "包裹已妥投"),
    "msg.trigger.dispute_opened": ("The buyer opened a dispute", "买家发起了纠纷"),
    "msg.trigger.plan_proposed": ("The store proposed a plan", "店铺提出了方案"),
    "msg.trigger.return_shipped": ("The buyer shipped the return", "买家已寄出退货"),
    "msg.trigger.receipt_confirmed": (
        "The buyer confirmed receipt (thanks and a review request)",
        "买家确认收货（致谢并邀请评价）",
    ),
    "msg.deadline.seller_response": ("the store's answer to a dispute", "店铺响应纠纷"),
    "msg.deadline.return_shipment": ("the buyer's return shipment", "买家寄回退货"),
    "msg.deadline.return_receipt": ("confirming the return's receipt", "确认收到退货"),
    "msg.deadline.evidence_period": ("the store's evidence", "店铺提交证据"),
    "msg.deadline.resend": ("shipping the replacement", "补发货物"),
    "msg.kind.reminder": ("Reminder: {deadline}", "提醒：{deadline}"),
    "msg.kind.auto_reply": ("Automatic reply", "自动回复"),
    "msg.fact.no_tracking": ("no tracking information", "没有物流信息"),
    "msg.fact.in_transit": ("in transit", "运输途中"),
    "msg.fact.no_news": ("no news for a while", "长时间无物流更新"),
    "msg.fact.arrived_dest_country": ("arrived in the country", "已到达目的国"),
    "msg.fact.in_customs": ("at customs", "清关中"),
    "msg.fact.duties_due": ("duties to pay", "需缴纳关税"),
    "msg.fact.pickup_notice": ("pickup notice left", "已留取件通知"),
    "msg.fact.delivered": ("delivered", "已妥投"),
    "msg.fact.returned": ("sent back", "已退回"),
    "msg.fits.reasons": ("Reason: {names}", "纠纷原因：{names}"),
    "msg.fits.statuses": ("Dispute status: {names}", "纠纷状态：{names}"),
    "msg.fits.tracking": ("Tracking: {names}", "物流：{names}"),
    "msg.fits.stages": ("Order status: {names}", "订单状态：{names}"),
    "msg.fits.triggers": ("Sent when: {names}", "发送时机：{names}"),
    "msg.fits.deadlines": ("Before the deadline of {names}", "截止前提醒：{names}"),
    "msg.fits.any": ("Any case", "任何情况"),
    "msg.fits.title.reasons": ("Dispute reasons", "纠纷原因"),
    "msg.fits.title.statuses": ("Dispute statuses", "纠纷状态"),
    "msg.fits.title.tracking": ("What the tracking says", "物流情况"),
    "msg.fits.title.stages": ("Order statuses", "订单状态"),
    "msg.ph.order_number": ("order number", "订单号"),
    "msg.ph.buyer_name": ("buyer's name", "买家姓名"),
    "msg.ph.store_name": ("store's name", "店铺名称"),
    "msg.ph.items": ("what was ordered, e.g. 2 × Running shoes", "所购商品，例如 2 × 跑鞋"),
    "msg.ph.order_total": ("order total with shipping", "订单总额（含运费）"),
    "msg.ph.carrier": ("carrier", "物流商"),
    "msg.ph.tracking_number": ("tracking number", "运单号"),
    "msg.ph.tracking_link": ("where the buyer follows the parcel", "买家查询包裹的链接"),
    "msg.ph.country": ("destination country", "目的国"),
    "msg.ph.delivery_deadline": ("end of the delivery time", "收货时限截止时间"),
    "msg.ph.reason": ("dispute reason", "纠纷原因"),
    "msg.ph.buyer_plan": ("buyer's plan with its amount", "买家方案及金额"),
    "msg.ph.seller_plan": ("store's plan with its amount", "店铺方案及金额"),
    "msg.ph.refund_amount": ("amount at stake", "涉及金额"),
    "msg.ph.return_carrier": ("carrier of the return", "退货物流商"),
    "msg.ph.return_tracking_number": ("tracking number of the return", "退货运单号"),
    "msg.ph.deadline": ("the deadline the message is about", "本消息所述的截止时间"),
    "msg.ph.time_left": ("time left until that deadline", "距截止的剩余时间"),
    "msg.ph.event_at": ("when it happened", "发生时间"),
    "msg.ph.place": ("where the carrier saw the parcel", "物流商记录的地点"),
    "msg.ph.opens_at": ("when the store opens again", "店铺重新营业的时间"),
    "msg.day.mon": ("Monday", "星期一"),
    "msg.day.tue": ("Tuesday", "星期二"),
    "msg.day.wed": ("Wednesday", "星期三"),
    "msg.day.thu": ("Thursday", "星期四"),
    "msg.day.fri": ("Friday", "星期五"),
    "msg.day.sat": ("Saturday", "星期六"),
    "msg.day.sun": ("Sunday", "星期日"),
    # suggested replies
    "msg.reply.title": ("Suggested replies", "建议回复"),
    "msg.reply.hint": (
        "Replies that fit this case, written in {language} with the order's facts. Use one to "
        "put it in the message box, change what you like, then send it.",
        "适合此案件的回复，已用{language}写好并填入订单信息。点击“使用”放入消息框，修改后再发送。",
    ),
    "msg.reply.language": ("Write the replies in", "回复语言"),
    "msg.reply.buyers_language": ("the buyer's language", "买家的语言"),
    "msg.reply.show": ("Show", "显示"),
    "msg.reply.none": (
        "No reply fits this case yet. Add one of your own under Messaging, Templates.",
        "目前没有适合此案件的回复。可在“消息设置”的“消息模板”中添加您自己的回复。",
    ),
    "msg.reply.use": ("Use this reply", "使用此回复"),
    "msg.reply.fits": ("Fits: {what}", "适用：{what}"),
    "msg.reply.gone": (
        "That reply does not fit this case any more; choose another.",
        "该回复已不再适合此案件，请另选一条。",
    ),
    "msg.reply.unavailable": (
        "{count} more fit but lack a fact of this case",
        "另有 {count} 条适合，但缺少此案件的信息",
    ),
    "msg.reply.needs": (
        "needs the {what}, which this case does not have",
        "需要“{what}”，此案件没有",
    ),
    "msg.reply.edit_hint": (
        "The reply is in the box above, in {language}: change it as you like before sending.",
        "回复已放入上方消息框（{language}），发送前可随意修改。",
    ),
    "msg.unavailable.some": ("a fact", "某项信息"),
    # the store's messaging settings
    "msg.settings.title": ("Messaging", "消息设置"),
    "msg.settings.hint": (
        "What the desk sends on the store's behalf: notices when something happens, reminders "
        "before every deadline, an automatic reply outside working hours. Buyers read them in "
        "their own language.",
        "系统代表店铺发送的消息：事件发生时的通知、每个截止时间前的提醒、非工作时间的自动回复。"
        "买家以自己的语言阅读。",
    ),
    "msg.settings.general": ("The store's staff", "店铺员工"),
    "msg.settings.language": ("Language of the staff's messages", "员工消息语言"),
    "msg.settings.language_hint": (
        "Notices and reminders to the staff are written in it, unless someone chose their own.",
        "发给员工的通知和提醒使用此语言，除非员工自己另有设置。",
    ),
    "msg.settings.time_zone": ("The store's time zone", "店铺时区"),
    "msg.settings.time_zone_hint": (
        "Working hours are in this zone, e.g. Asia/Shanghai.",
        "工作时间按此时区计算，例如 Asia/Shanghai。",
    ),
    "msg.settings.tracking_url": ("Tracking link", "物流查询链接"),
    "msg.settings.tracking_url_hint": (
        "Where buyers follow a parcel: an http(s) address with {number} where the tracking "
        "number goes.",
        "买家查询包裹的地址：以 http(s) 开头，在填运单号的位置写 {number}。",
    ),
    "msg.settings.triggers": ("Notices", "通知"),
    "msg.settings.triggers_hint": (
        "Each is sent once per order and event, after the delay you set. News older than 7 days "
        "is not announced.",
        "每个订单的每个事件只发送一次，在设定的延迟之后发送。超过 7 天的旧消息不再通知。",
    ),
    "msg.settings.when": ("When", "时机"),
    "msg.settings.on": ("On", "开启"),
    "msg.settings.send": ("Send", "发送"),
    "msg.settings.channels": ("Channels", "渠道"),
    "msg.settings.delay": ("Delay (minutes)", "延迟（分钟）"),
    "msg.settings.template": ("Template", "模板"),
    "msg.settings.reminders": ("Reminders before deadlines", "截止前提醒"),
    "msg.settings.reminders_hint": (
        "48 hours and 12 hours before each deadline, to whoever must act: the store's answer, "
        "the buyer's return, the return's receipt, each evidence period, the replacement.",
        "在每个截止时间前 48 小时和 12 小时提醒需要操作的一方：店铺响应、买家退货、确认收到退货、"
        "每个举证期、补发货物。",
    ),
    "msg.settings.reminders_on": ("Send reminders", "发送提醒"),
    "msg.settings.auto_reply": ("Automatic reply", "自动回复"),
    "msg.settings.auto_reply_hint": (
        "When a buyer writes outside your working hours, they are told when you will be back "
        "(once per order until you open).",
        "买家在非工作时间留言时，告知其店铺何时恢复服务（每个订单在营业前只回复一次）。",
    ),
    "msg.settings.auto_reply_on": (
        "Reply automatically outside working hours",
        "非工作时间自动回复",
    ),
    "msg.settings.hours": ("Working hours", "工作时间"),
    "msg.settings.hours_hint": (
        "In the store's time zone ({zone}); one or more ranges per day, e.g. 09:00-12:00, "
        "13:00-18:00; empty: closed that day.",
        "按店铺时区（{zone}）；每天可填一个或多个时段，例如 09:00-12:00, 13:00-18:00；"
        "留空表示当天休息。",
    ),
    "msg.settings.opt_outs": ("Channels the store wants nothing on", "店铺不接收的渠道"),
    "msg.settings.opt_outs_hint": (
        "Nothing of this store's is sent on a channel ticked here, whatever the settings above "
        "say.",
        "无论上方如何设置，本店铺都不会通过此处勾选的渠道发送任何消息。",
    ),
    "msg.settings.save": ("Save the settings", "保存设置"),
    "msg.check.some": (
        "Nothing was saved: {count} fields need a change (marked below).",
        "未保存：有 {count} 处需要修改（见下方标注）。",
    ),
    "msg.check.language": ("Choose one of the languages in the list.", "请从列表中选择一种语言。"),
    "msg.check.time_zone": (
        "“{value}” is not a time zone: write one such as Asia/Shanghai or Europe/Madrid.",
        "“{value}”不是有效的时区：请填写如 Asia/Shanghai 或 Europe/Madrid 的时区。",
    ),
    "msg.check.tracking_url": (
        "The tracking link must start with http:// or https:// and have {number} once, where "
        "the tracking number goes.",
        "物流查询链接必须以 http:// 或 https:// 开头，并在填运单号的位置包含一次 {number}。",
    ),
    "msg.check.delay": (
        "Write a whole number of minutes, from 0 to {most}.",
        "请填写 0 到 {most} 之间的整数分钟数。",
    ),
    "msg.check.template": (
        "Choose one of the templates in the list.",
        "请从列表中选择一个模板。",
    ),
    "msg.check.hours": (
        "{day}: “{value}” is not a list of times such as 09:00-18:00 (each ending after it "
        "starts, 24:00 at the latest).",
        "{day}：“{value}”不是有效的时段，例如 09:00-18:00（结束须晚于开始，最晚 24:00）。",
    ),
    "msg.check.hours_needed": (
        "The automatic reply needs working hours on one day at least.",
        "自动回复至少需要一天的工作时间。",
    ),
    "msg.check.key": (
        "The name must be lower-case letters, digits, dots, dashes or underscores (up to 100), "
        "e.g. my.warranty-reply.",
        "名称只能包含小写字母、数字、点、连字符或下划线（最多 100 个字符），"
        "例如 my.warranty-reply。",
    ),
    "msg.check.key_taken": (
        "A template already has this name: open it from the list to edit it.",
        "已有同名模板：请在列表中打开并编辑。",
    ),
    "msg.check.subject": (
        "The subject is one line of at most {most} characters.",
        "主题只能是一行，最多 {most} 个字符。",
    ),
    "msg.check.body_empty": ("Write the text of the message.", "请填写消息正文。"),
    "msg.check.body_long": (
        "The text is too long: at most {most} characters.",
        "正文过长：最多 {most} 个字符。",
    ),
    # the template editor
    "msg.templates.title": ("Message templates", "消息模板"),
    "msg.templates.hint": (
        "The texts the desk writes with, in seven languages: the shipped ones, the store's "
        "edits of them, and the store's own replies. Open one to edit it per language.",
        "系统使用的消息文本，共七种语言：系统自带的、店铺修改过的，以及店铺自建的回复。"
        "打开模板即可按语言编辑。",
    ),
    "msg.templates.col.template": ("Template", "模板"),
    "msg.templates.col.readers": ("Read by", "读者"),
    "msg.templates.col.fits": ("Fits", "适用情况"),
    "msg.templates.col.words": ("Words", "文本"),
    "msg.templates.rewritten": ("rewritten in {languages}", "已改写：{languages}"),
    "msg.templates.written_in": ("written in {languages}", "已写语言：{languages}"),
    "msg.templates.new": ("Add a reply of your own", "添加自建回复"),
    "msg.templates.new_hint": (
        "A reply the staff can use on the dispute and order pages, suggested where it fits. "
        "Write it in one language now; add the others from its page.",
        "员工可在纠纷和订单页面使用的回复，会在适用时自动推荐。先用一种语言写好，其他语言可在模板页面添加。",
    ),
    "msg.templates.key": ("Name (for the store's own use)", "名称（店铺内部使用）"),
    "msg.templates.key_hint": (
        "Lower-case letters, digits, dots, dashes, underscores: e.g. my.warranty-reply.",
        "小写字母、数字、点、连字符、下划线，例如 my.warranty-reply。",
    ),
    "msg.templates.fits_choose": ("When to suggest it", "何时推荐"),
    "msg.templates.fits_hint": (
        "Tick nothing to suggest it in any case; ticked boxes of one group: any of them.",
        "都不勾选表示任何情况都推荐；同一组内勾选多项表示满足其一即可。",
    ),
    "msg.templates.add": ("Add the reply", "添加回复"),
    "msg.editor.title": ("Template", "模板"),
    "msg.editor.kind": ("Kind", "类型"),
    "msg.editor.languages": ("Languages of the template", "模板语言"),
    "msg.editor.language": ("Language", "语言"),
    "msg.editor.rewritten_mark": ("edited", "已修改"),
    "msg.editor.missing_mark": ("not written", "未撰写"),
    "msg.editor.in_language": ("The text in {language}", "{language}文本"),
    "msg.editor.not_written": (
        "This template has no text in {language} yet: readers in {language} get the English "
        "text. Below is the English text to start from.",
        "此模板尚无{language}文本：使用{language}的读者将收到英文文本。下方为英文文本，可在此基础上撰写。",
    ),
    "msg.editor.shipped_words": (
        "These are the shipped words; saving makes them the store's own in this language.",
        "以下为系统自带文本；保存后即成为本店铺在此语言下的文本。",
    ),
    "msg.editor.subject": ("Subject", "主题"),
    "msg.editor.subject_hint": (
        "A reply's subject is its title in the list of suggestions.",
        "回复的主题即其在建议列表中的标题。",
    ),
    "msg.editor.body": ("Text", "正文"),
    "msg.editor.body_hint": (
        "Placeholders in double braces are filled with the order's facts when it is sent.",
        "双大括号中的占位符在发送时会填入订单信息。",
    ),
    "msg.editor.placeholders": ("Placeholders and what they hold", "占位符及其含义"),
    "msg.editor.placeholder": ("Placeholder", "占位符"),
    "msg.editor.meaning": ("Filled with", "填入内容"),
    "msg.editor.conditions_hint": (
        "A part that needs a fact the case may lack can be written inside a condition:",
        "可能缺少的信息可以写在条件语句中：",
    ),
    "msg.editor.preview": ("Preview", "预览"),
    "msg.editor.save": ("Save the {language} text", "保存{language}文本"),
    "msg.editor.not_saved": (
        "Nothing was saved: the text has a mistake (marked below).",
        "未保存：文本有误（见下方标注）。",
    ),
    "msg.editor.preview_title": ("Preview with sample data", "使用示例数据预览"),
    "msg.editor.preview_hint": (
        "The text as a reader would get it, filled with a sample order; nothing is saved yet.",
        "读者收到的样子（已填入示例订单）；尚未保存。",
    ),
    "msg.editor.preview_problems": (
        "The text cannot be sent as it is:",
        "此文本目前无法发送：",
    ),
    "msg.part.subject": ("Subject", "主题"),
    "msg.part.body": ("Text", "正文"),
    "msg.problem.unknown": (
        "{part}: “{name}” is not a placeholder. Use one from the list of placeholders.",
        "{part}：“{name}”不是占位符，请使用占位符列表中的名称。",
    ),
    "msg.problem.missing": (
        "{part}: “{name}” has no value here, so the message would have a blank in it.",
        "{part}：“{name}”在此没有值，消息中会出现空白。",
    ),
    "msg.problem.syntax": (
        "{part}, line {line}: the braces do not match. Each {{{{ needs its }}}}, each {{% if %}} "
        "its {{% endif %}}.",
        "{part}，第 {line} 行：括号不匹配。每个 {{{{ 都需要对应的 }}}}，"
        "每个 {{% if %}} 都需要对应的 {{% endif %}}。",
    ),
    "msg.problem.too_long": ("{part}: the text is too long.", "{part}：文本过长。"),
    "msg.problem.unsafe": (
        "{part}: a message template may only use placeholders, conditions ({{% if %}}) and a "
        "few filters.",
        "{part}：消息模板只能使用占位符、条件语句（{{% if %}}）和少数过滤器。",
    ),
    "msg.problem.error": (
        "{part}: the text cannot be filled in.",
        "{part}：无法填充此文本。",
    ),
    "msg.delete.button": ("Delete this template", "删除此模板"),
    "msg.delete.confirm": (
        "Delete the store's template “{title}” in every language? It is no longer suggested.",
        "删除本店铺的模板“{title}”（所有语言）？删除后将不再推荐。",
    ),
    "msg.revert.button": ("Go back to the shipped words", "恢复系统自带文本"),
    "msg.revert.confirm": (
        "Go back to the shipped words of “{title}” in every language? The store's edits are "
        "deleted.",
        "将“{title}”恢复为系统自带文本（所有语言）？本店铺的修改将被删除。",
    ),
    # the delivery log
    "msg.log.title": ("Delivery log", "发送记录"),
    "msg.log.hint": (
        "What the store's notifications sent, to whom and on which channel, newest first, with "
        "every attempt.",
        "本店铺通知的发送情况：发给谁、通过什么渠道，按时间倒序，包括每次尝试。",
    ),
    "msg.log.channel": ("Channel", "渠道"),
    "msg.log.status": ("Status", "状态"),
    "msg.log.when": ("When", "时间"),
    "msg.log.what": ("What", "内容"),
    "msg.log.to": ("To", "接收方"),
    "msg.log.text": ("Text", "文本"),
    "msg.log.order": ("Order {id}", "订单 {id}"),
    "msg.log.none": ("Nothing was sent yet.", "尚未发送任何消息。"),
    "msg.log.attempts": ("Attempts: {count}", "尝试次数：{count}"),
    "msg.log.delivered_at": ("delivered {at}", "{at} 送达"),
    "msg.log.next_attempt": ("next attempt {at}", "下次尝试：{at}"),
    "msg.log.no_subject": ("(no subject)", "（无主题）"),
    "msg.log.no_text": ("no text", "无文本"),
    "msg.log.attempt_log": ("Attempts", "尝试记录"),
    "msg.delivery.pending": ("Waiting to be sent", "等待发送"),
    "msg.delivery.sending": ("Being sent", "发送中"),
    "msg.delivery.delivered": ("Delivered", "已送达"),
    "msg.delivery.failed": ("Failed", "发送失败"),
    "msg.delivery.skipped": ("Not sent", "未发送"),
    "msg.delivery.cancelled": ("Cancelled", "已取消"),
    "msg.delivery.retry": ("Will be tried again", "将重试"),
    "msg.to.thread": ("the order's messages", "订单消息"),
    "msg.to.user": ("{name}'s notifications", "{name} 的通知"),
    "msg.to.webhook": ("webhook subscription {id}", "Webhook 订阅 {id}"),
    "msg.to.nobody": ("nobody (no address)", "无（没有地址）"),
    "msg.error.opted_out": ("The reader opted out of this channel", "接收方已退订此渠道"),
    "msg.error.no_smtp": (
        "No email server is set up (DISPUTEDESK_SMTP_HOST)",
        "未配置邮件服务器（DISPUTEDESK_SMTP_HOST）",
    ),
    "msg.error.no_address": ("The reader has no email address", "接收方没有邮箱地址"),
    "msg.error.no_subscription": ("The store has no webhook subscription", "店铺没有 Webhook 订阅"),
    "msg.error.subscription_removed": (
        "The webhook subscription was removed",
        "Webhook 订阅已被删除",
    ),
    "msg.error.deadline_moved": ("The deadline moved", "截止时间已变更"),
    "msg.error.action_taken": ("What it reminded of was done", "提醒的操作已完成"),
    "msg.error.order_gone": ("The order is gone", "订单已不存在"),
    "msg.error.shipped_again": (
        "The order was shipped again with another tracking number",
        "订单已用其他运单号重新发货",
    ),
    "msg.error.order_changed": ("The order moved on since", "订单状态已变化"),
    "msg.error.dispute_changed": ("The dispute moved on since", "纠纷状态已变化"),
    "msg.error.dispute_opened": ("A dispute was opened since", "此后已发起纠纷"),
    "msg.error.no_starttls": (
        "The email server does not offer an encrypted connection",
        "邮件服务器不提供加密连接",
    ),
    "msg.error.template": (
        "The template cannot be filled for this order",
        "无法为此订单填充模板",
    ),
    "msg.error.smtp": ("The email server answered", "邮件服务器答复"),
    "msg.error.http": ("The webhook receiver answered", "Webhook 接收方答复"),
    "msg.error.other": ("It did not go through", "未能送达"),
    # notifications and personal settings
    "msg.notifications.title": ("Notifications", "通知"),
    "msg.notifications.unread": ("{count} unread", "{count} 条未读"),
    "msg.notifications.all_read": ("Everything is read.", "全部已读。"),
    "msg.notifications.none": ("No notifications.", "暂无通知。"),
    "msg.notifications.new": ("new", "新"),
    "msg.notifications.open": ("Open order {id}", "打开订单 {id}"),
    "msg.notifications.mark_read": ("Mark read", "标为已读"),
    "msg.notifications.read_all": ("Mark all read", "全部标为已读"),
    "msg.notifications.show_unread": ("Only the unread", "仅显示未读"),
    "msg.notifications.show_all": ("All notifications", "全部通知"),
    "msg.notifications.settings": ("What I receive", "接收设置"),
    "msg.me.title": ("My settings", "我的设置"),
    "msg.me.hint": (
        "Your language and time zone: the desk's pages follow them when you sign in, and what "
        "is sent to you is written in them. And the channels you want nothing on.",
        "您的语言和时区：登录后页面将按此显示，发给您的消息也按此撰写。您还可以选择不接收的渠道。",
    ),
    "msg.me.language": ("My language", "我的语言"),
    "msg.me.language_browser": ("As my browser says", "跟随浏览器"),
    "msg.me.language_hint": (
        "Messages are written in any of these; the pages are in {languages} (in another "
        "language, the pages follow your browser).",
        "消息可使用以上任一语言；页面目前提供{languages}（选择其他语言时，页面跟随浏览器语言）。",
    ),
    "msg.me.time_zone": ("My time zone", "我的时区"),
    "msg.me.time_zone_hint": (
        "An IANA time zone such as Europe/Madrid; empty: as my browser says.",
        "IANA 时区，例如 Europe/Madrid；留空表示跟随浏览器。",
    ),
    "msg.me.opt_outs": ("Send me nothing", "不接收"),
    "msg.me.nothing_on.in_app": ("in the app (notifications)", "站内通知"),
    "msg.me.nothing_on.email": ("by email", "邮件"),
    "msg.me.save": ("Save my settings", "保存我的设置"),
    # the demo's mailbox (the operator)
    "msg.mail.title": ("Email", "邮件"),
    "msg.mail.no_mailbox": (
        "This server keeps no copy of the email it sends: only “disputedesk demo” catches its "
        "email in a mailbox of its own. The delivery log below says what was sent.",
        "本服务器不保留所发邮件的副本：只有“disputedesk demo”会把邮件收进自己的演示邮箱。"
        "下方的发送记录列出已发送的内容。",
    ),
    "msg.mail.hint": (
        "The demo's mail server ({address}) keeps what the desk sends: nothing leaves this "
        "computer. Messages caught: {count}, newest first.",
        "演示邮件服务器（{address}）保存系统发出的邮件：邮件不会离开本机。"
        "已收到 {count} 封，按时间倒序排列。",
    ),
    "msg.mail.captured": ("Caught by the demo's mail server", "演示邮件服务器收到的邮件"),
    "msg.mail.none": (
        "No email yet: the worker sends what is due at its next sweep.",
        "尚无邮件：后台任务会在下一轮发送到期的邮件。",
    ),
    "msg.mail.from": ("From", "发件人"),
    "msg.mail.to": ("To", "收件人"),
    "msg.mail.date": ("Received", "接收时间"),
    "msg.mail.subject": ("Subject", "主题"),
    "msg.mail.body": ("Text", "正文"),
    "msg.mail.headers": (
        "All headers (List-Unsubscribe included)",
        "全部邮件头（含 List-Unsubscribe）",
    ),
    "msg.mail.header": ("Header", "邮件头"),
    "msg.mail.value": ("Value", "值"),
    "msg.mail.log": ("Email delivery log", "邮件发送记录"),
    "msg.mail.log_hint": (
        "Every store's email, newest first, with every attempt.",
        "所有店铺的邮件，按时间倒序，包括每次尝试。",
    ),
    "act.save_messaging": ("Messaging settings saved", "消息设置已保存"),
    "act.add_template": ("Reply added", "回复已添加"),
    "act.save_template": ("Template saved", "模板已保存"),
    "act.revert_template": ("Back to the shipped words", "已恢复系统自带文本"),
    "act.delete_template": ("Template deleted", "模板已删除"),
    "act.read_notification": ("Marked read", "已标为已读"),
    "act.read_all_notifications": ("All marked read", "已全部标为已读"),
    "act.save_me": ("Your settings are saved", "您的设置已保存"),
    # --- seller metrics in the desk (issue 14): the dashboard, the disputes behind each count,
    # red-line warnings in the inbox, penalties, and disputes reported as malicious
    "nav.metrics": ("Metrics", "店铺指标"),
    "metrics.title": ("Store metrics", "店铺指标"),
    "metrics.hint": (
        "The three rates that decide a store's standing (NAD dispute rate, ruling rate, "
        "seller-responsibility ruling rate) against their red lines per product category. A "
        "store at 80% of a line is warned; a store over a line in a calendar month is "
        "penalised. Every count opens the orders or disputes behind it.",
        "决定店铺表现的三项比率（货不对版纠纷率、纠纷裁决率、卖家责任裁决率）及其按商品类目设定的"
        "红线。达到红线 80% 的店铺会收到预警；某个自然月超过红线的店铺将被处罚。点击任一数字即可"
        "查看其背后的订单或纠纷。",
    ),
    "metrics.store": ("Store", "店铺"),
    "metrics.period": ("Period", "考核期"),
    "metrics.period.rolling": ("The last {days} days", "最近 {days} 天"),
    "metrics.period.rolling_span": (
        "The last {days} days: from {start} to {end} ({zone})",
        "最近 {days} 天：{start} 至 {end}（{zone}）",
    ),
    "metrics.period.month_span": ("{month} (UTC)", "{month}（UTC）"),
    "metrics.period.days_utc": ("{start} to {end} (UTC)", "{start} 至 {end}（UTC）"),
    "metrics.not_allowed": (
        "Your permissions in this store do not include seeing its metrics. Ask an owner of the "
        "store.",
        "您在此店铺的权限不包括查看指标。请联系店主。",
    ),
    "metrics.bad_period": (
        "That period is not one the desk knows: choose the last 30, 60 or 90 days or a "
        "calendar month.",
        "无法识别该考核期：请选择最近 30、60 或 90 天，或某个自然月。",
    ),
    "metrics.rates_title": ("{store}: the three rates", "{store}：三项比率"),
    "metrics.rate.nad_rate": ("NAD dispute rate", "货不对版纠纷率"),
    "metrics.rate.ruling_rate": ("Ruling rate", "纠纷裁决率"),
    "metrics.rate.seller_responsibility_rate": (
        "Seller-responsibility ruling rate",
        "卖家责任裁决率",
    ),
    "metrics.count.orders_assessed": ("Orders assessed", "考核订单数"),
    "metrics.count.nad_orders": ("Orders with a NAD dispute", "货不对版纠纷订单数"),
    "metrics.count.disputes_opened": ("Disputes opened", "发起的纠纷数"),
    "metrics.count.disputes_escalated": (
        "Disputes escalated to the platform",
        "升级至平台的纠纷数",
    ),
    "metrics.count.seller_responsible_rulings": (
        "Rulings against the seller",
        "判卖家责任的裁决数",
    ),
    "metrics.behind_label": ("{count} ({figure}): see which", "{count}（{figure}）：查看明细"),
    "metrics.red_line": ("Red line", "红线"),
    "metrics.line_all": ("{line} in every category", "所有类目均为 {line}"),
    "metrics.lines_differ": (
        "From {low} to {high}, by category (see the table by category)",
        "按类目不同，{low} 至 {high}（见按类目的表格）",
    ),
    "metrics.line_short": ("red line {line}", "红线 {line}"),
    "metrics.level": ("Level", "状态"),
    "metrics.level.ok": ("✓ Under 80% of the line", "✓ 低于红线的 80%"),
    "metrics.level.near": ("! Near: at 80% of the line or more", "！接近：已达红线的 80%"),
    "metrics.level.over": ("▲ Over the line", "▲ 超过红线"),
    "metrics.level_count.ok": (
        "in every category with a figure ({n})",
        "所有有数据的类目（共 {n} 个）",
    ),
    "metrics.level_count.near": ("in {n} of {of} categories", "{of} 个类目中有 {n} 个"),
    "metrics.level_count.over": ("in {n} of {of} categories", "{of} 个类目中有 {n} 个"),
    "metrics.no_figure": (
        "No figure: nothing counted in this period.",
        "无数据：此考核期内没有计入的订单。",
    ),
    "metrics.levels_legend": (
        "Levels are judged per product category, each against its own red line: under 80% of "
        "the line is fine; at 80% or more the store is warned (the inbox says so); over the line "
        "in a calendar month, the store is penalised once the month is over. Disputes an "
        "operator upheld as malicious are left out of every figure.",
        "状态按商品类目分别对照各自的红线判断：低于红线 80% 为正常；达到 80% 及以上店铺会收到预警"
        "（纠纷列表顶部会提示）；某个自然月超过红线，该月结束后店铺将被处罚。运营认定为恶意的纠纷不计入"
        "任何指标。",
    ),
    "metrics.trend_title": ("The last {weeks} weeks", "最近 {weeks} 周"),
    "metrics.chart.caption": (
        "Each rate week by week (solid line, round markers, the value above each week) against "
        "its red line (dashed). A week without a figure has a dash. The figures are also in a "
        "table under each chart.",
        "各比率按周变化（实线、圆点标记，每周数值标在上方），虚线为红线。没有数据的周显示为短横。"
        "每张图下方另有数据表格。",
    ),
    "metrics.chart.title": ("{rate}, week by week ({weeks} weeks)", "{rate}，按周（{weeks} 周）"),
    "metrics.chart.desc": (
        "{rate} for each of the last {weeks} weeks against the {line}. Latest week: {latest}; "
        "highest week: {highest}.",
        "最近 {weeks} 周每周的{rate}，对照{line}。最近一周：{latest}；最高一周：{highest}。",
    ),
    "metrics.chart.x": ("Week", "周"),
    "metrics.chart.x_axis": ("Week, by its first day", "周（按起始日）"),
    "metrics.chart.y_axis": ("Rate", "比率"),
    "metrics.chart.line": ("red line {line}", "红线 {line}"),
    "metrics.chart.lowest_line": (
        "lowest red line of the store's categories {line}",
        "本店类目中最低的红线 {line}",
    ),
    "metrics.chart.table": ("{rate}: the figures week by week", "{rate}：每周数据"),
    "metrics.week.span": ("{start} – {end}", "{start} – {end}"),
    "metrics.breakdowns": ("Where the numbers come from", "指标构成"),
    "metrics.breakdowns_hint": (
        "By category, country and carrier the orders are split, so the rows add up to the "
        "store's counts. By reason, each reason's disputes are counted over the store's orders "
        "and disputes.",
        "按类目、国家和物流商划分时，订单分别计入各行，各行之和等于店铺总数。按纠纷原因划分时，"
        "各原因的纠纷数以店铺的全部订单和纠纷为分母。",
    ),
    "metrics.dimension.store": ("Store", "店铺"),
    "metrics.dimension.category": ("Product category", "商品类目"),
    "metrics.dimension.country": ("Country", "国家"),
    "metrics.dimension.carrier": ("Carrier", "物流商"),
    "metrics.dimension.reason": ("Reason", "纠纷原因"),
    "metrics.dimension_caption.store": ("The whole store", "整个店铺"),
    "metrics.dimension_caption.category": ("By product category", "按商品类目"),
    "metrics.dimension_caption.country": ("By destination country", "按目的国"),
    "metrics.dimension_caption.carrier": ("By carrier", "按物流商"),
    "metrics.dimension_caption.reason": ("By reason", "按纠纷原因"),
    "metrics.by.category": ("By product category", "按商品类目"),
    "metrics.by.country": ("By destination country", "按目的国"),
    "metrics.by.carrier": ("By carrier", "按物流商"),
    "metrics.by.reason": ("By reason", "按纠纷原因"),
    "metrics.key.unknown": ("not given", "未填写"),
    "metrics.none_in_period": ("Nothing counted in this period.", "此考核期内没有计入的数据。"),
    "metrics.penalties": ("Penalties", "处罚记录"),
    "metrics.penalties_hint": (
        "Each calendar month over a red line in a category is one penalty, recorded once the "
        "month is over; so is each counterfeit dispute ruled against the store without a brand "
        "authorization.",
        "某类目在一个自然月内超过红线即记一次处罚，在该月结束后记录；每起判卖家责任且未提供品牌授权的"
        "假货纠纷也记一次处罚。",
    ),
    "metrics.no_penalties": ("No penalties.", "暂无处罚。"),
    "metrics.penalty.red_line": (
        "{rate} over its red line in {category}, {period}",
        "{period}，{category} 的{rate}超过红线",
    ),
    "metrics.penalty.figures": ("{figure} against a red line of {line}", "{figure}，红线 {line}"),
    "metrics.penalty.counterfeit": (
        "A counterfeit dispute ruled against the store without a brand authorization",
        "假货纠纷判卖家责任且未提供品牌授权",
    ),
    "metrics.penalty.recorded": ("Recorded {at}", "记录于 {at}"),
    "metrics.penalty.behind": ("Behind it", "涉及"),
    "metrics.reports": ("Disputes reported as malicious", "恶意纠纷举报"),
    "metrics.reports_hint": (
        "Report a dispute from its page. An operator upholds or rejects each report with a "
        "note; an upheld one is left out of the figures.",
        "在纠纷详情页举报。运营会认定或驳回每条举报并附说明；认定成立的纠纷不计入指标。",
    ),
    "metrics.no_reports": ("No dispute reported.", "暂无举报。"),
    "metrics.alerts.title": ("Red-line warnings", "红线预警"),
    "metrics.alerts.hint": (
        "A rate at 80% of its red line or more over the last 30 days. Over a line in a calendar "
        "month, the store is penalised.",
        "最近 30 天内有比率达到红线的 80% 及以上。某个自然月超过红线，店铺将被处罚。",
    ),
    "metrics.alerts.store": (
        "{store}, {period}: over a line {over}, near a line {near}",
        "{store}，{period}：超过红线 {over} 项，接近红线 {near} 项",
    ),
    "metrics.alerts.item": (
        "{rate} in {category}: {figure} (red line {line})",
        "{category} 的{rate}：{figure}（红线 {line}）",
    ),
    "metrics.alerts.more": ("Show {count} more", "再显示 {count} 项"),
    "metrics.alerts.see": ("See the metrics of {store}", "查看 {store} 的指标"),
    "metrics.behind.title": ("Behind the figure: {figure}", "指标明细：{figure}"),
    "metrics.behind.back": ("Back to the metrics", "返回店铺指标"),
    "metrics.behind.col.dispute": ("Dispute", "纠纷"),
    "metrics.behind.what.orders_assessed": (
        "Orders whose receipt was confirmed, that completed by themselves, or on which a "
        "dispute was opened, in the period.",
        "考核期内确认收货、自动完成或发起了纠纷的订单。",
    ),
    "metrics.behind.what.nad_orders": (
        "Orders with a not-as-described dispute opened in the period that the buyer did not "
        "cancel before its end.",
        "考核期内发起货不对版纠纷且买家在期末前未撤销的订单。",
    ),
    "metrics.behind.what.disputes_opened": (
        "Disputes opened in the period.",
        "考核期内发起的纠纷。",
    ),
    "metrics.behind.what.disputes_escalated": (
        "Disputes opened in the period and escalated to the platform before its end.",
        "考核期内发起、并在期末前升级至平台的纠纷。",
    ),
    "metrics.behind.what.seller_responsible_rulings": (
        "Disputes opened in the period whose ruling before its end put the responsibility on "
        "the seller.",
        "考核期内发起、并在期末前被裁定为卖家责任的纠纷。",
    ),
    "malicious.title": ("Report as malicious", "举报恶意纠纷"),
    "malicious.page_title": (
        "Report the dispute on order {id} as malicious",
        "举报订单 {id} 的恶意纠纷",
    ),
    "malicious.back": ("Back to the dispute", "返回纠纷详情"),
    "malicious.hint": (
        "If the buyer opened this dispute in bad faith (a different item sent back, false "
        "claims), tell the platform why and point to the evidence. An operator upholds or "
        "rejects the report; an upheld one is left out of your metrics. A dispute can be "
        "reported once.",
        "如果买家恶意发起此纠纷（退回的商品不同、虚假陈述等），请说明原因并指出相关证据。运营会认定或"
        "驳回举报；认定成立的纠纷不计入您的指标。每个纠纷只能举报一次。",
    ),
    "malicious.open": ("Report this dispute as malicious", "举报此纠纷为恶意纠纷"),
    "malicious.reason_label": (
        "Why is this dispute malicious? (required)",
        "为什么认为此纠纷是恶意的？（必填）",
    ),
    "malicious.evidence_label": (
        "The evidence that shows it (optional)",
        "能证明这一点的证据（选填）",
    ),
    "malicious.no_evidence": (
        "This dispute has no evidence yet: add some in the evidence section first if you have it.",
        "此纠纷暂无证据：如有证据，请先在证据区上传。",
    ),
    "malicious.submit": ("Report as malicious", "提交举报"),
    "malicious.reason_required": (
        "Say why the dispute is malicious: the operator decides on what you write.",
        "请说明此纠纷为何是恶意的：运营将根据您的说明作出判断。",
    ),
    "malicious.evidence_unknown": (
        "Choose evidence of this dispute only.",
        "只能选择此纠纷的证据。",
    ),
    "malicious.already": (
        "This dispute was already reported as malicious: a dispute can be reported once. Its "
        "report is shown below.",
        "此纠纷已被举报：每个纠纷只能举报一次。举报状态见下方。",
    ),
    "malicious.confirm": (
        "Report dispute {id} as malicious to the platform.",
        "向平台举报纠纷 {id} 为恶意纠纷。",
    ),
    "malicious.confirm_reason": ("Why: “{reason}”", "原因：“{reason}”"),
    "malicious.confirm_evidence": (
        "Evidence pointed to: {count} item(s).",
        "所指证据：{count} 项。",
    ),
    "malicious.confirm_no_evidence": ("No evidence pointed to.", "未指出证据。"),
    "malicious.confirm_then": (
        "An operator will uphold or reject it with a note. The report cannot be withdrawn or "
        "sent again.",
        "运营将认定或驳回并附说明。举报提交后不能撤回，也不能再次提交。",
    ),
    "malicious.status.pending": ("Pending: an operator will decide", "待处理：等待运营判定"),
    "malicious.status.upheld": ("Upheld", "举报成立"),
    "malicious.status.rejected": ("Rejected", "举报驳回"),
    "malicious.reported": ("Reported {at} by {by}", "{by} 于 {at} 举报"),
    "malicious.reason": ("Why", "举报原因"),
    "malicious.evidence_pointed": ("Evidence pointed to", "所指证据"),
    "malicious.decided_at": ("Decided", "判定时间"),
    "malicious.note": ("Operator's note", "运营说明"),
    "malicious.then.pending": (
        "Until an operator decides, the dispute counts in your metrics as any other.",
        "在运营判定之前，此纠纷照常计入您的指标。",
    ),
    "malicious.then.upheld": (
        "The dispute is left out of your metrics, and counts against the buyer.",
        "此纠纷不计入您的指标，并记入买家的恶意纠纷记录。",
    ),
    "malicious.then.rejected": (
        "The dispute counts in your metrics as any other.",
        "此纠纷照常计入您的指标。",
    ),
    "act.report_malicious": (
        "Reported as malicious: an operator will decide",
        "已举报为恶意纠纷：等待运营判定",
    ),
    "check.field.malicious_reason": ("Why", "举报原因"),
    # --- the ruling assistant, evidence checklists, ruling agreement, what-if (issue 15,
    # items 3-6: web/advice_pages.py, web/whatif_pages.py)
    "nav.agreement": ("Ruling agreement", "裁决与建议一致率"),
    "nav.whatif": ("What-if", "政策模拟"),
    "advice.principle.1": (
        "Not received, and the tracking is incomplete or not found within the promised time: "
        "the seller is responsible, full refund.",
        "未收到货，且在承诺时效内物流信息不完整或查询不到：卖家责任，全额退款。",
    ),
    "advice.principle.2": (
        "The tracking shows the parcel waiting for pickup with a written notice left at the "
        "buyer's post office: the buyer is responsible.",
        "物流显示包裹已到达买家所在地的取件点并留有书面取件通知：买家责任。",
    ),
    "advice.principle.3": (
        "Delivered, and the delivery matches the order (time, city, zip code, recipient): the "
        "buyer is asked to confirm; with no objection, the funds go to the seller.",
        "已妥投，且妥投信息与订单一致（时间、城市、邮编、收件人）：请买家确认；无异议则款项归卖家。",
    ),
    "advice.principle.4": (
        "Delivered, but not an accurate match: the seller must show the delivery note (label "
        "with barcode, address, customs declaration); with the right address the seller wins, "
        "otherwise the seller is responsible.",
        "已妥投但信息不完全一致：卖家须提供发货底单（含条码、地址、报关信息的面单）；地址正确则卖家胜诉，"
        "否则卖家责任。",
    ),
    "advice.principle.5": (
        "A counterfeit without the seller's brand authorization: the seller is fully "
        "responsible, full refund, and a penalty mark.",
        "假货且卖家无品牌授权：卖家全责，全额退款，并记处罚。",
    ),
    "advice.principle.6": (
        "Held in customs for duties the listing told the buyer about (customs receipt, "
        "declared value agreed): the buyer is responsible.",
        "因商品页已告知的关税被海关扣留（有清关单据、申报价值已约定）：买家责任。",
    ),
    "advice.principle.7": (
        "Not as described: weighed by severity, repairability and effect on use; a serious "
        "material mismatch is a full refund.",
        "货不对版：按严重程度、可修复性及对使用的影响衡量；严重不符则全额退款。",
    ),
    "advice.principle.8": (
        "The seller escalated a return: if the return's tracking shows it delivered to the "
        "seller, the buyer is refunded.",
        "卖家就退货升级纠纷：若退货物流显示已妥投给卖家，则退款给买家。",
    ),
    "advice.title": ("Ruling assistant", "裁决助手"),
    "advice.intro": (
        "Advice from the platform's ruling principles over this case's facts. You decide.",
        "根据平台裁决原则和本案事实给出的建议，最终由您裁决。",
    ),
    "advice.principle_line": ("Principle {number}", "原则 {number}"),
    "advice.none": (
        "No principle applies yet: the facts below are missing.",
        "暂无适用的原则：缺少以下事实。",
    ),
    "advice.facts": ("Facts used", "依据的事实"),
    "advice.missing": ("Missing facts", "缺少的事实"),
    "advice.recommendation": ("Recommendation", "建议裁决"),
    "advice.rec.refund": ("Refund", "退款金额"),
    "advice.rec.penalty": ("Penalty mark", "记处罚"),
    "advice.recorded_title": ("The advice at the ruling", "裁决时的建议"),
    "advice.followed": ("The ruling followed the advice.", "裁决采纳了建议。"),
    "advice.not_followed": ("The ruling did not follow the advice.", "裁决未采纳建议。"),
    "advice.no_principle_at_ruling": (
        "No principle applied when the case was ruled: there was no advice to follow.",
        "裁决时无适用的原则：没有可采纳的建议。",
    ),
    "advice.why_not": ("Why the ruling differs", "未采纳的原因"),
    "advice.ruled_by": ("Ruled by {name} on {at}", "{name} 于 {at} 裁决"),
    "advice.fact.reason": ("Reason: {reason}", "纠纷原因：{reason}"),
    "advice.fact.buyer_plan": ("The buyer's plan: {plan}", "买家方案：{plan}"),
    "advice.fact.evidence.seller": ("The seller's evidence: {kinds}", "卖家证据：{kinds}"),
    "advice.fact.evidence.buyer": ("The buyer's evidence: {kinds}", "买家证据：{kinds}"),
    "advice.fact.no_brand_authorization": (
        "No brand authorization from the seller",
        "卖家未提供品牌授权",
    ),
    "advice.fact.seller_escalated_return": (
        "The seller escalated the return",
        "卖家就退货升级了纠纷",
    ),
    "advice.fact.return_delivered": (
        "The return was delivered to the seller on {at}",
        "退货已于 {at} 妥投给卖家",
    ),
    "advice.fact.tracking_stage": (
        "Tracking: {stage} ({events} carrier events)",
        "物流：{stage}（{events} 条物流记录）",
    ),
    "advice.fact.delivered": ("Delivered on {at}: {parts}", "已于 {at} 妥投：{parts}"),
    "advice.fact.part": ("{part} {result}", "{part}{result}"),
    "advice.fact.buyer_to_confirm": (
        "The buyer is asked to confirm; with no objection the funds go to the seller",
        "请买家确认；无异议则款项归卖家",
    ),
    "advice.fact.delivery_note_present": (
        "The seller's delivery note is there: its address is to be checked",
        "卖家已提供发货底单：需核对其地址",
    ),
    "advice.fact.pickup_notice": (
        "At a pickup point with a written notice left on {at}",
        "已于 {at} 到达取件点并留有书面通知",
    ),
    "advice.fact.customs": ("Held in customs", "被海关扣留"),
    "advice.fact.customs_duties": (
        "Held in customs: the buyer is asked to pay duties",
        "被海关扣留：需买家缴纳关税",
    ),
    "advice.fact.no_valid_scan": ("No valid carrier scan", "没有有效的物流扫描记录"),
    "advice.fact.parcel_back.returned": (
        "The parcel was returned to the sender",
        "包裹已退回发件人",
    ),
    "advice.fact.parcel_back.returning": (
        "The parcel is on its way back to the sender",
        "包裹正在退回发件人途中",
    ),
    "advice.fact.promised_by": ("Delivery promised by {at}", "承诺 {at} 前送达"),
    "advice.fact.serious_mismatch": (
        "A serious material mismatch: full refund",
        "严重不符：全额退款",
    ),
    "advice.fact.no_dispute": ("No dispute was opened", "未发起纠纷"),
    "advice.missing.return_delivery": (
        "The return's tracking showing delivery to the seller",
        "显示退货已妥投给卖家的退货物流",
    ),
    "advice.missing.delivery_note": (
        "The seller's delivery note (label with barcode, address and customs declaration)",
        "卖家的发货底单（含条码、地址和报关信息的面单）",
    ),
    "advice.missing.delivery_part": (
        "What the carrier says of the delivery: {part}",
        "物流商关于妥投的信息：{part}",
    ),
    "advice.missing.customs_receipt": ("The seller's customs receipt", "卖家的清关单据"),
    "advice.missing.promised_time": (
        "The end of the promised delivery time (the parcel is still in transit)",
        "承诺送达时间届满（包裹仍在运输途中）",
    ),
    "advice.missing.buyer_photos": (
        "The buyer's photos or video of the goods with the packaging",
        "买家提供的商品及包装照片或视频",
    ),
    "advice.missing.buyer_video": (
        "The buyer's video of the goods with the packaging",
        "买家提供的商品及包装视频",
    ),
    "advice.missing.dispute": ("A dispute", "纠纷"),
    "advice.form.prefilled": (
        "Filled in with the advice (principle {number}). If you rule otherwise, say why below: "
        "it is required then.",
        "已按建议（原则 {number}）填写。如您作出不同裁决，请在下方说明原因（此时必填）。",
    ),
    "advice.form.no_principle": (
        "No principle applies: there is no advice to follow, and no reason to give for not "
        "following it.",
        "无适用的原则：没有可采纳的建议，也无需说明未采纳的原因。",
    ),
    "form.why_not": (
        "Why you rule otherwise than advised (required when the ruling differs; only "
        "arbitrators and operators read it)",
        "不采纳建议的原因（裁决与建议不同时必填；仅仲裁员和运营可见）",
    ),
    "check.why_not": (
        "Your ruling differs from the advice (principle {number}) in: {differs}. Say why you "
        "rule otherwise.",
        "您的裁决与建议（原则 {number}）在以下方面不同：{differs}。请说明原因。",
    ),
    "advice.why_not_field": ("Why you rule otherwise", "不采纳建议的原因"),
    "advice.part.responsibility": ("responsibility", "责任方"),
    "advice.part.refund_amount": ("refund amount", "退款金额"),
    "advice.part.return_required": ("return", "退货"),
    "advice.list_separator": (", ", "、"),
    "checklist.title": ("Evidence this case needs", "本案所需证据"),
    "checklist.intro": (
        "What decides the case, for each side: present or missing, and by when.",
        "决定本案结果的证据（按双方列出）：是否已提供，以及截止时间。",
    ),
    "checklist.yours": ("Your evidence", "您需提供的证据"),
    "checklist.side.seller": ("The seller's evidence", "卖家需提供的证据"),
    "checklist.side.buyer": ("The buyer's evidence", "买家需提供的证据"),
    "checklist.none": (
        "Nothing is asked of this side for this reason.",
        "此纠纷原因无需该方提供证据。",
    ),
    "checklist.col.evidence": ("Evidence", "证据"),
    "checklist.col.why": ("Why it counts", "作用"),
    "checklist.col.status": ("Status", "状态"),
    "checklist.col.due": ("By when", "截止时间"),
    "checklist.present": ("Present", "已提供"),
    "checklist.missing": ("Missing", "缺少"),
    "checklist.or": (" or ", "或"),
    "checklist.before_ruling": ("Before the ruling", "裁决前"),
    "checklist.closed": ("The case is closed", "本案已结束"),
    "checklist.why.brand_authorization": (
        "Without it a counterfeit claim is decided against the seller (principle 5)",
        "没有品牌授权，假货投诉将判卖家责任（原则 5）",
    ),
    "checklist.why.goods_with_packaging": (
        "Photos or a video of the goods with the packaging show what arrived (principle 7)",
        "商品及包装的照片或视频证明收到的货物（原则 7）",
    ),
    "checklist.why.video_of_the_fault": (
        "A video shows that the item does not work (principle 7)",
        "视频证明商品无法正常使用（原则 7）",
    ),
    "checklist.why.delivery_note": (
        "The delivery note shows where the parcel was delivered (principle 4)",
        "发货底单证明包裹的投递地址（原则 4）",
    ),
    "checklist.why.customs_receipt": (
        "The customs receipt shows the duties were the buyer's, as the listing said (principle 6)",
        "清关单据证明关税应由买家承担，如商品页所述（原则 6）",
    ),
    "checklist.why.tracking_record": (
        "The tracking record or proof of delivery shows the parcel reached the buyer in time "
        "(principle 1)",
        "物流记录或妥投证明显示包裹按时送达买家（原则 1）",
    ),
    "agreement.title": ("Ruling agreement", "裁决与建议一致率"),
    "agreement.intro": (
        "How often rulings follow the ruling assistant's advice, by principle and by "
        "arbitrator. Rulings where no principle applied are counted apart: there was no advice "
        "to follow. Each figure opens the cases behind it.",
        "裁决采纳裁决助手建议的比例（按原则和仲裁员统计）。无适用原则的裁决单独计数：当时没有可采纳的建议。"
        "点击数字可查看对应的案件。",
    ),
    "agreement.period": ("Period", "统计期间"),
    "agreement.period.days": ("Last {days} days", "最近 {days} 天"),
    "agreement.show": ("Show", "显示"),
    "agreement.range": ("From {start} to {end}", "{start} 至 {end}"),
    "agreement.total": ("All rulings", "全部裁决"),
    "agreement.by_principle": ("By principle", "按原则"),
    "agreement.by_arbitrator": ("By arbitrator", "按仲裁员"),
    "agreement.col.principle": ("Principle", "原则"),
    "agreement.col.arbitrator": ("Arbitrator", "仲裁员"),
    "agreement.col.rulings": ("Rulings", "裁决数"),
    "agreement.col.followed": ("Followed", "采纳"),
    "agreement.col.not_followed": ("Not followed", "未采纳"),
    "agreement.col.no_principle": ("No principle", "无适用原则"),
    "agreement.col.share": ("Share followed", "采纳比例"),
    "agreement.principle_none": ("No principle applied", "无适用原则"),
    "agreement.share": ("{percent} followed", "采纳 {percent}"),
    "agreement.share_none": ("no advice to follow", "无可采纳的建议"),
    "agreement.bar": (
        "{followed} of {with_advice} rulings with advice followed it",
        "{with_advice} 项有建议的裁决中 {followed} 项采纳了建议",
    ),
    "agreement.empty": (
        "No rulings were recorded with the advice in this period.",
        "此期间没有记录建议的裁决。",
    ),
    "agreement.cases": ("The cases behind the figure", "数字对应的案件"),
    "agreement.cases.all": ("Every ruling of the period", "本期全部裁决"),
    "agreement.cases.followed": ("Rulings that followed the advice", "采纳建议的裁决"),
    "agreement.cases.not_followed": ("Rulings that did not follow the advice", "未采纳建议的裁决"),
    "agreement.cases.no_principle": ("Rulings where no principle applied", "无适用原则的裁决"),
    "agreement.cases.rulings": ("Rulings", "裁决"),
    "agreement.cases.of_principle": ("principle {number}", "原则 {number}"),
    "agreement.cases.of_arbitrator": ("by {name}", "仲裁员：{name}"),
    "agreement.cases.show_all": ("Show every ruling", "显示全部裁决"),
    "agreement.col.case": ("Case", "案件"),
    "agreement.col.ruled_at": ("Ruled", "裁决时间"),
    "agreement.col.advice": ("Advice", "建议"),
    "agreement.col.why_not": ("Why not followed", "未采纳原因"),
    "agreement.followed_yes": ("Followed", "已采纳"),
    "agreement.followed_no": ("Not followed", "未采纳"),
    "agreement.no_advice": ("No principle applied", "无适用原则"),
    "agreement.tools": ("Operator tools", "运营工具"),
    "whatif.title": (
        "What-if: a policy change tried on stored cases",
        "政策模拟：在已有案件上试行政策变更",
    ),
    "whatif.intro": (
        "Every stored order is replayed twice by the rules, under the policy in force and with "
        "your changes, up to now; the report says what would differ. Nothing is written to the "
        "live tables. One run at a time; it runs in the background.",
        "每个已有订单都会按规则重放两次：一次按现行政策，一次按您的变更，直至当前时间；报告列出会有哪些不同。"
        "不会写入任何线上数据。一次只运行一个模拟，在后台进行。",
    ),
    "whatif.parameters": ("Policy parameters", "政策参数"),
    "whatif.current": ("in force: {value}", "现行：{value}"),
    "whatif.scope": ("Which cases", "案件范围"),
    "whatif.since": (
        "Only orders placed from this date (UTC; leave empty for all)",
        "仅包含此日期（UTC）及之后下单的订单（留空则全部）",
    ),
    "whatif.store": ("Only this store", "仅此店铺"),
    "whatif.store.all": ("Every store", "全部店铺"),
    "whatif.start": ("Start the what-if", "开始模拟"),
    "whatif.no_change": (
        "Change at least one parameter: with the policy as it is, nothing would differ.",
        "请至少修改一个参数：政策不变时不会有任何不同。",
    ),
    "whatif.busy": (
        "A what-if is already running (started {at}). Wait for it to finish.",
        "已有一个模拟正在运行（开始于 {at}），请等待其完成。",
    ),
    "whatif.too_many": (
        "{count} cases is more than one run takes ({cap}). Narrow it by date or store.",
        "{count} 个案件超过单次模拟的上限（{cap}）。请按日期或店铺缩小范围。",
    ),
    "whatif.bad_number": (
        "“{name}” must be a whole number from {low} to {high}.",
        "“{name}”须为 {low} 至 {high} 之间的整数。",
    ),
    "whatif.bad_calendar": (
        "“{name}”: choose a country from the list.",
        "“{name}”：请从列表中选择国家。",
    ),
    "whatif.bad_date": ("The date must be a date (year-month-day).", "日期格式须为年-月-日。"),
    "whatif.bad_store": ("There is no such store.", "没有这个店铺。"),
    "whatif.runs": ("Recent runs", "最近的模拟"),
    "whatif.runs.none": ("No what-if has been run yet.", "尚未运行过模拟。"),
    "whatif.col.started": ("Started", "开始时间"),
    "whatif.col.changes": ("Changes", "变更"),
    "whatif.col.state": ("State", "状态"),
    "whatif.state.running": ("Running: {done} of {total} cases", "运行中：{done}/{total} 个案件"),
    "whatif.state.done": (
        "Done: {changed} of {cases} cases would change",
        "已完成：{cases} 个案件中 {changed} 个会变化",
    ),
    "whatif.state.failed": ("Failed", "失败"),
    "whatif.state.interrupted": (
        "Interrupted (the server stopped during the run)",
        "已中断（运行期间服务器停止）",
    ),
    "whatif.run.title": ("What-if run", "模拟结果"),
    "whatif.progress": ("{done} of {total} cases replayed", "已重放 {done}/{total} 个案件"),
    "whatif.refresh": ("Refresh", "刷新"),
    "whatif.refresh_note": (
        "This page refreshes itself every few seconds until the run is done.",
        "本页每隔几秒自动刷新，直到模拟完成。",
    ),
    "whatif.failed_note": (
        "The run failed; the server's log says why. Nothing was changed.",
        "模拟失败，原因见服务器日志。没有任何数据被修改。",
    ),
    "whatif.interrupted_note": (
        "The run stopped before it finished. Start it again.",
        "模拟未完成即已停止。请重新开始。",
    ),
    "whatif.overrides": ("The changes", "变更"),
    "whatif.override_line": ("{name}: {before} → {after}", "{name}：{before} → {after}"),
    "whatif.scope.all": ("Every stored order, replayed up to {now}", "全部已有订单，重放至 {now}"),
    "whatif.scope.since": ("Orders placed from {since}", "{since} 及之后下单的订单"),
    "whatif.scope.store": ("Orders of store {store}", "店铺 {store} 的订单"),
    "whatif.summary": (
        "{changed} of {cases} cases would change.",
        "{cases} 个案件中有 {changed} 个会发生变化。",
    ),
    "whatif.totals": ("Before and after, in {currency}", "变更前后对比（{currency}）"),
    "whatif.col.measure": ("Figure", "指标"),
    "whatif.col.before": ("As it is", "现行政策"),
    "whatif.col.after": ("With the changes", "变更后"),
    "whatif.col.difference": ("Difference", "差额"),
    "whatif.measure.cases": ("Cases", "案件数"),
    "whatif.measure.refunds": ("Cases with a refund", "有退款的案件"),
    "whatif.measure.refunded": ("Money refunded", "退款金额"),
    "whatif.measure.timeouts": ("Timeouts (automatic steps at a deadline)", "超时（到期自动处理）"),
    "whatif.measure.escalations": ("Escalations", "升级"),
    "whatif.measure.auto_rulings": ("Automatic rulings", "自动裁决"),
    "whatif.measure.refused": ("Actions the rules would refuse", "规则会拒绝的操作"),
    "whatif.changed": ("The cases that would change", "会发生变化的案件"),
    "whatif.col.case": ("Order", "订单"),
    "whatif.col.what": ("What would change", "变化"),
    "whatif.change.refunded": ("Refunded {before} → {after}", "退款 {before} → {after}"),
    "whatif.change.dispute": (
        "Dispute {number}: {before} → {after}",
        "纠纷 {number}：{before} → {after}",
    ),
    "whatif.change.dispute_new": (
        "Dispute {number}: none → {after}",
        "纠纷 {number}：无 → {after}",
    ),
    "whatif.change.dispute_gone": (
        "Dispute {number}: {before} → none",
        "纠纷 {number}：{before} → 无",
    ),
    "whatif.change.step": ("{step} ({before} → {after} times)", "{step}（{before} → {after} 次）"),
    "whatif.change.escalations": ("Escalations {before} → {after}", "升级 {before} → {after}"),
    "whatif.change.refused": (
        "Actions the rules would refuse {before} → {after}",
        "规则拒绝的操作 {before} → {after}",
    ),
    "whatif.listed_only": (
        "The first {shown} of {count} are listed.",
        "仅列出 {count} 个中的前 {shown} 个。",
    ),
    "whatif.skipped": (
        "{count} orders could not be replayed (their policy is unknown).",
        "{count} 个订单无法重放（政策未知）。",
    ),
    "whatif.none_changed": ("No case would change.", "没有案件会发生变化。"),
    "whatif.new": ("Try another change", "尝试其他变更"),
    "whatif.open_run": ("Open", "查看"),
    "whatif.started": ("What-if started", "模拟已开始"),
    "policy.param.platform_calendar": (
        "Platform calendar (whose public holidays)",
        "平台日历（采用哪个国家的公共假日）",
    ),
    "policy.param.max_delivery_extension_days": (
        "Longest delivery extension (days)",
        "最长延长收货天数",
    ),
    "policy.param.dispute_open_after_shipment_days": (
        "Disputes can be opened from (days after shipment)",
        "发货后多少天可发起纠纷",
    ),
    "policy.param.dispute_window_after_completion_days": (
        "Disputes can be opened until (days after completion)",
        "订单完成后多少天内可发起纠纷",
    ),
    "policy.param.resend_ship_days": ("Days to ship a replacement", "补发货物期限（天）"),
    "policy.param.seller_response_days": ("Days the seller has to respond", "卖家响应期限（天）"),
    "policy.param.buyer_escalation_after_days": (
        "The buyer may escalate after (days)",
        "买家可升级纠纷的等待天数",
    ),
    "policy.param.auto_escalation_after_days": (
        "Escalated by itself after (days without agreement)",
        "未达成一致自动升级的天数",
    ),
    "policy.param.return_shipment_days": (
        "Days the buyer has to ship the return",
        "买家退货期限（天）",
    ),
    "policy.param.return_receipt_days": (
        "Days the seller has to confirm the return",
        "卖家确认收到退货的期限（天）",
    ),
    "policy.param.platform_intervention_working_days": (
        "The platform steps in within (working days)",
        "平台介入期限（工作日）",
    ),
    "policy.param.evidence_period_days": ("Evidence period (days)", "举证期（天）"),
    "policy.param.evidence_periods": (
        "Evidence periods before the automatic ruling",
        "自动裁决前的举证期数",
    ),
    # --- the operator's console (issue 14, items 4 and 5: web/operator_pages.py) ----------
    "nav.console": ("Console", "运营控制台"),
    "op.nav.label": ("The operator's console", "运营控制台"),
    "op.nav.overview": ("Overview", "概览"),
    "op.nav.users": ("Users", "用户"),
    "op.nav.stores": ("Stores", "店铺"),
    "op.nav.arbitration": ("Arbitration desk", "仲裁台"),
    "op.nav.red_lines": ("Red lines & penalties", "红线与处罚"),
    "op.nav.policy": ("Policy", "规则参数"),
    "op.nav.reports": ("Malicious reports", "恶意纠纷举报"),
    "op.overview.title": ("The operator's console", "运营控制台"),
    "op.overview.hint": (
        "Every store's health and the arbitration desk's, at a glance; the latest operator "
        "actions below.",
        "一览所有店铺与仲裁台的健康状况；下方为最近的运营操作。",
    ),
    "op.overview.stores": ("Stores", "店铺数"),
    "op.overview.users": ("Users", "用户数"),
    "op.overview.suspended": ("Suspended", "已停用"),
    "op.overview.penalties": ("Penalties in the last 30 days", "近 30 天的处罚"),
    "op.overview.pending_reports": ("Malicious reports to decide", "待处理的恶意纠纷举报"),
    "op.overview.at_risk": ("Stores near or over a red line", "接近或超过红线的店铺"),
    "op.no_figure": ("no figure", "无数据"),
    "op.unknown": ("unknown", "未知"),
    "op.level.ok": ("Within the lines", "未触及红线"),
    "op.level.near": ("Near a red line", "接近红线"),
    "op.level.over": ("Over a red line", "超过红线"),
    "op.verdict": (
        "{metric} in {category}: {figure} (line {line})",
        "{category} 的{metric}：{figure}（红线 {line}）",
    ),
    "op.metric.nad_rate": ("NAD dispute rate", "货不对版纠纷率"),
    "op.metric.ruling_rate": ("Ruling rate", "裁决率"),
    "op.metric.seller_responsibility_rate": (
        "Seller-responsibility ruling rate",
        "卖家责任裁决率",
    ),
    "op.state.active": ("Active", "正常"),
    "op.state.suspended": ("Suspended", "已停用"),
    "op.check.too_long": (
        "“{field}” is too long: at most {limit} characters (this one has {length}).",
        "“{field}”过长：最多 {limit} 个字符（当前 {length} 个）。",
    ),
    "op.field.email": ("Email", "邮箱"),
    "op.field.name": ("Name", "名称"),
    "op.field.buyer_id": ("Buyer id", "买家编号"),
    "op.field.store_id": ("Store id", "店铺编号"),
    "op.field.reason": ("Reason", "原因"),
    "op.field.note": ("Note", "备注"),
    "op.field.category": ("Category", "类目"),
    "op.field.threshold": ("Red line", "红线"),
    "op.field.effective_from": ("In force from", "生效时间"),
    "op.field.q": ("Search", "搜索"),
    "op.field.prefix": ("Token", "令牌"),
    "op.refusal.reason_missing": ("Say why: a reason is required.", "请填写原因：原因为必填项。"),
    "op.refusal.reason_too_long": (
        "The reason is too long: at most {limit} characters.",
        "原因过长：最多 {limit} 个字符。",
    ),
    "op.refusal.self": ("An operator cannot suspend themself.", "运营人员不能停用自己的账户。"),
    "op.refusal.last_operator": (
        "{email} is the last active operator: suspending them would leave nobody to run the desk.",
        "{email} 是最后一位正常状态的运营人员：停用后将无人管理平台。",
    ),
    "op.refusal.already_suspended": ("This is already suspended.", "已处于停用状态。"),
    "op.refusal.not_suspended": ("This is not suspended.", "未处于停用状态。"),
    "op.refusal.no_store": ("There is no store {store}.", "不存在店铺 {store}。"),
    "op.refusal.no_token": (
        "This user has no active API token {prefix}.",
        "该用户没有有效的 API 令牌 {prefix}。",
    ),
    "op.refusal.store_name": (
        "Give the store a name (at most 200 characters).",
        "请填写店铺名称（最多 200 个字符）。",
    ),
    "op.refusal.store_id": (
        "A store id is letters, digits and . _ : - (up to 64, starting with a letter or digit).",
        "店铺编号只能包含字母、数字和 . _ : -（最多 64 个字符，以字母或数字开头）。",
    ),
    "op.refusal.store_exists": ("There is already a store {store}.", "店铺 {store} 已存在。"),
    "op.refusal.metric": ("Choose a rate.", "请选择指标。"),
    "op.refusal.effective_from": (
        "Give the date and time the line takes effect.",
        "请填写红线的生效日期和时间。",
    ),
    "op.refusal.threshold": (
        "A red line is a percentage from 0 to 100, such as 1.5.",
        "红线为 0 到 100 之间的百分比，例如 1.5。",
    ),
    "op.refusal.category": (
        "A category has at most 200 characters (or none, for every category).",
        "类目最多 200 个字符（留空表示所有类目）。",
    ),
    "op.refusal.note": (
        "Write a note: both the decision and its note are required.",
        "请填写备注：处理结果和备注均为必填项。",
    ),
    "op.refusal.decision": ("Choose: uphold or reject.", "请选择：成立或驳回。"),
    "op.refusal.report": ("This report was already decided.", "该举报已处理。"),
    "op.refusal.conflict": (
        "Somebody changed this meanwhile; look again.",
        "此内容已被他人修改，请重新查看。",
    ),
    "op.refusal.email": ("This is not an email address.", "这不是有效的邮箱地址。"),
    "op.refusal.user_exists": ("A user with this email already exists.", "该邮箱的用户已存在。"),
    "op.refusal.name": ("Give a name.", "请填写姓名。"),
    "op.refusal.password": ("A password has at least 8 characters.", "密码至少 8 个字符。"),
    "op.refusal.buyer_id": (
        "A buyer id is only for a buyer, and is letters, digits and . _ : - (up to 64).",
        "买家编号仅适用于买家，只能包含字母、数字和 . _ : -（最多 64 个字符）。",
    ),
    "op.refusal.store_only_seller": ("Only a seller joins a store.", "只有卖家可以加入店铺。"),
    "op.refusal.role": ("Choose a role from the list.", "请从列表中选择角色。"),
    "op.confirm.suspend_user": (
        "You suspend {name} ({email}).",
        "您将停用 {name}（{email}）。",
    ),
    "op.confirm.suspend_user_then": (
        "They cannot sign in, their API tokens answer nothing and their open sessions end now, "
        "until an operator lifts the suspension.",
        "在运营人员解除停用之前，该用户无法登录，其 API 令牌失效，已登录的会话立即结束。",
    ),
    "op.confirm.reason": ("Reason: {reason}", "原因：{reason}"),
    "op.confirm.note": ("Note: {note}", "备注：{note}"),
    "op.confirm.suspend_store": (
        "You suspend the store {name} ({store}).",
        "您将停用店铺 {name}（{store}）。",
    ),
    "op.confirm.suspend_store_then": (
        "Its staff can still read everything, but every action they send is refused with your "
        "reason. The rules' automatic steps (deadlines) still take place.",
        "店铺成员仍可查看所有内容，但其提交的所有操作都将被拒绝并显示您填写的原因。规则的自动步骤（到期处理）照常执行。",
    ),
    "op.confirm.reset": (
        "You make a link for {name} ({email}) to set a new password.",
        "您将为 {name}（{email}）生成设置新密码的链接。",
    ),
    "op.confirm.reset_then": (
        "The link is shown to you once and works once, for 24 hours; an older link stops "
        "working. When it is used, every session of the user ends.",
        "链接仅向您显示一次，24 小时内有效且只能使用一次；之前的链接将失效。"
        "使用后，该用户的所有会话都将结束。",
    ),
    "op.confirm.revoke_all": (
        "You revoke the {count} active API token(s) of {name}.",
        "您将撤销 {name} 的 {count} 个有效 API 令牌。",
    ),
    "op.confirm.revoke_one": (
        "You revoke the API token {prefix} of {name}.",
        "您将撤销 {name} 的 API 令牌 {prefix}。",
    ),
    "op.confirm.revoke_then": (
        "A revoked token answers nothing from now on.",
        "令牌撤销后立即失效。",
    ),
    "op.confirm.red_line": (
        "You set the red line of the {metric} for {category} at {threshold}, in force from {at}.",
        "您将把 {category} 的{metric}红线设为 {threshold}，自 {at} 起生效。",
    ),
    "op.confirm.red_line_then": (
        "Lines are never edited: this one stays in the history, and a later line replaces it.",
        "红线不会被修改：此条将保留在历史记录中，之后设置的红线会取代它。",
    ),
    "op.confirm.report_upheld": (
        "You uphold the report: dispute of order {dispute} was malicious.",
        "您将判定举报成立：订单 {dispute} 的纠纷为恶意纠纷。",
    ),
    "op.confirm.report_upheld_then": (
        "The dispute leaves the store's metrics, and it counts against the buyer (a flag "
        "operators and arbitrators see).",
        "该纠纷将不计入店铺指标，并计入买家的恶意记录（运营人员和仲裁员可见）。",
    ),
    "op.confirm.report_rejected": (
        "You reject the report on the dispute of order {dispute}.",
        "您将驳回针对订单 {dispute} 纠纷的举报。",
    ),
    "op.confirm.report_rejected_then": (
        "The dispute stays in the store's metrics; the buyer is not flagged.",
        "该纠纷仍计入店铺指标；买家不会被标记。",
    ),
    "action.op_user_suspended": ("User suspended", "用户已停用"),
    "action.op_user_unsuspended": ("Suspension lifted", "已解除停用"),
    "action.op_tokens_revoked": ("API tokens revoked", "API 令牌已撤销"),
    "action.op_store_created": ("Store created", "店铺已创建"),
    "action.op_store_suspended": ("Store suspended", "店铺已停用"),
    "action.op_store_unsuspended": ("Store's suspension lifted", "已解除店铺停用"),
    "action.op_red_line_set": ("Red line set", "红线已设置"),
    "action.op_report_upheld": ("Report upheld", "举报已判定成立"),
    "action.op_report_rejected": ("Report rejected", "举报已驳回"),
    "op.audit.title": ("Operator actions", "运营操作记录"),
    "op.audit.hint": (
        "The latest actions, as the records they changed keep them. A lifted suspension "
        "leaves its trace in the server's log only.",
        "最近的操作，来自其所修改的记录。已解除的停用仅保留在服务器日志中。",
    ),
    "op.audit.when": ("When", "时间"),
    "op.audit.who": ("Who", "操作人"),
    "op.audit.what": ("What", "操作"),
    "op.audit.detail": ("Details", "详情"),
    "op.audit.not_recorded": ("not recorded", "未记录"),
    "op.audit.user_suspended": ("Suspended the user {subject}", "停用用户 {subject}"),
    "op.audit.store_suspended": ("Suspended the store {subject}", "停用店铺 {subject}"),
    "op.audit.password_link": ("Made a password link for {subject}", "为 {subject} 生成密码链接"),
    "op.audit.report_upheld": ("Upheld the report on {subject}", "判定 {subject} 的举报成立"),
    "op.audit.report_rejected": ("Rejected the report on {subject}", "驳回 {subject} 的举报"),
    "op.audit.red_line_set": ("Set a red line: {subject}", "设置红线：{subject}"),
    "op.audit.token_revoked": ("An API token of {subject} revoked", "{subject} 的 API 令牌已撤销"),
    "op.users.title": ("Users", "用户"),
    "op.users.search": ("Email, name, buyer or store", "邮箱、姓名、买家或店铺"),
    "op.users.name": ("Name", "姓名"),
    "op.users.email": ("Email", "邮箱"),
    "op.users.role": ("Role", "角色"),
    "op.users.stores": ("Stores", "店铺"),
    "op.users.state": ("Status", "状态"),
    "op.users.last_token_use": ("Last API token use", "API 令牌最近使用"),
    "op.users.never": ("never", "从未"),
    "op.users.create": ("Create a user", "创建用户"),
    "op.users.create_hint": (
        "You never choose their password: a link to set it is shown to you once, for 24 hours.",
        "您无需为用户设置密码：系统会向您显示一次设置密码的链接，24 小时内有效。",
    ),
    "op.users.store": ("Store (sellers)", "店铺（卖家）"),
    "op.users.no_store": ("No store yet", "暂不加入店铺"),
    "op.users.store_hint": (
        "A seller may join an existing store at once.",
        "卖家可以立即加入已有店铺。",
    ),
    "op.users.store_role": ("As (sellers)", "身份（卖家）"),
    "op.users.buyer_id": ("Buyer id (buyers)", "买家编号（买家）"),
    "op.users.buyer_id_hint": (
        "An existing buyer's id, or a new one; empty: one is made up.",
        "已有买家的编号或新编号；留空则自动生成。",
    ),
    "op.users.create_submit": ("Create the user", "创建用户"),
    "op.users.created": ("{name} ({email}) was created.", "已创建 {name}（{email}）。"),
    "op.users.link_once": (
        "Send them this link to set their password. It is shown this once and works once, "
        "until {expires}.",
        "请将此链接发送给该用户以设置密码。链接仅显示这一次，只能使用一次，有效期至 {expires}。",
    ),
    "op.users.manage_named": ("Manage {name}", "管理 {name}"),
    "op.user.title": ("User: {name}", "用户：{name}"),
    "op.user.back": ("All users", "全部用户"),
    "op.user.created": ("Created", "创建时间"),
    "op.user.password": ("Password", "密码"),
    "op.user.password_set": ("set", "已设置"),
    "op.user.password_none": ("not set yet", "尚未设置"),
    "op.user.sessions": ("Open web sessions", "当前网页会话"),
    "op.user.pending_link": ("Password link", "密码链接"),
    "op.user.pending_link_line": (
        "unused, works until {at} (made by {by})",
        "尚未使用，有效期至 {at}（由 {by} 生成）",
    ),
    "op.user.suspended_title": ("Suspended", "已停用"),
    "op.user.suspended_line": ("Since {at}, by {by}.", "自 {at} 起，由 {by} 停用。"),
    "op.user.reason": ("Reason", "原因"),
    "op.user.suspend": ("Suspend the user", "停用用户"),
    "op.user.suspend_hint": (
        "No sign-in, no API token, and their open sessions end at once, until the suspension "
        "is lifted.",
        "在解除停用之前，该用户无法登录，API 令牌失效，已登录的会话立即结束。",
    ),
    "op.user.unsuspend": ("Lift the suspension", "解除停用"),
    "op.user.reset": ("Make a password link", "生成密码链接"),
    "op.user.reset_hint": (
        "A link for the user to set a new password: shown to you once, one use, 24 hours.",
        "供用户设置新密码的链接：仅向您显示一次，只能使用一次，24 小时内有效。",
    ),
    "op.tokens.title": ("API tokens", "API 令牌"),
    "op.tokens.none": ("No API token.", "没有 API 令牌。"),
    "op.tokens.name": ("Name", "名称"),
    "op.tokens.prefix": ("Begins with", "开头"),
    "op.tokens.created": ("Created", "创建时间"),
    "op.tokens.last_used": ("Last used", "最近使用"),
    "op.tokens.revoked_at": ("Revoked {at}", "已于 {at} 撤销"),
    "op.tokens.revoke_one": ("Revoke", "撤销"),
    "op.tokens.revoke_named": ("Revoke the token {prefix}", "撤销令牌 {prefix}"),
    "op.tokens.revoke_all": ("Revoke every active token", "撤销所有有效令牌"),
    "op.reset.title": ("Set a new password", "设置新密码"),
    "op.reset.created": ("A password link was made", "已生成密码链接"),
    "op.reset.link_once": (
        "Send this link to {email}. It is shown this once and works once, until {expires}.",
        "请将此链接发送给 {email}。链接仅显示这一次，只能使用一次，有效期至 {expires}。",
    ),
    "op.reset.link_label": ("Link", "链接"),
    "op.reset.intro": (
        "Set the password of {name} ({email}). Signing in afterwards takes the new one.",
        "为 {name}（{email}）设置密码。之后请使用新密码登录。",
    ),
    "op.reset.expires": (
        "This link works once, until {at}.",
        "此链接只能使用一次，有效期至 {at}。",
    ),
    "op.reset.password": ("New password (at least 8 characters)", "新密码（至少 8 个字符）"),
    "op.reset.password_again": ("The new password again", "再次输入新密码"),
    "op.reset.submit": ("Set the password", "设置密码"),
    "op.reset.mismatch": ("The two passwords differ.", "两次输入的密码不一致。"),
    "op.reset.password_rules": ("A password has at least 8 characters.", "密码至少 8 个字符。"),
    "op.reset.invalid": (
        "This link does not work: it was used, or a newer one replaced it, or it never existed. "
        "Ask an operator for a new one.",
        "此链接无效：它已被使用、已被新链接取代或并不存在。请向运营人员索取新链接。",
    ),
    "op.reset.expired": (
        "This link expired. Ask an operator for a new one.",
        "此链接已过期。请向运营人员索取新链接。",
    ),
    "op.reset.done": (
        "Your new password is set. Every earlier session ended: sign in with it.",
        "新密码已设置。之前的所有会话均已结束，请使用新密码登录。",
    ),
    "op.stores.title": ("Stores", "店铺"),
    "op.stores.hint": (
        "Rates over the 30 days from {start} to {end}; stores over a red line first.",
        "指标统计期间为 {start} 至 {end} 的 30 天；超过红线的店铺排在前面。",
    ),
    "op.stores.search": ("Store id or name", "店铺编号或名称"),
    "op.stores.staff": ("Staff", "成员"),
    "op.stores.open": ("Open disputes", "进行中的纠纷"),
    "op.stores.in_arbitration": ("{n} with the platform", "{n} 件平台处理中"),
    "op.stores.assessed": ("Orders assessed", "考核订单数"),
    "op.stores.level": ("Red lines", "红线"),
    "op.stores.suspended_line": ("since {at}, by {by}", "自 {at} 起，由 {by} 停用"),
    "op.stores.create": ("Create a store", "创建店铺"),
    "op.stores.create_hint": (
        "A store starts without staff: create its seller (as owner) on the Users page.",
        "新店铺没有成员：请在“用户”页面创建其卖家（店主）。",
    ),
    "op.stores.id": ("Store id", "店铺编号"),
    "op.stores.id_hint": (
        "Letters, digits and . _ : - (up to 64).",
        "字母、数字和 . _ : -（最多 64 个字符）。",
    ),
    "op.stores.name": ("Name", "名称"),
    "op.stores.create_submit": ("Create the store", "创建店铺"),
    "op.store.suspend": ("Suspend the store", "停用店铺"),
    "op.store.unsuspend": ("Lift the suspension", "解除停用"),
    "op.store.unsuspend_named": ("Lift the suspension of store {store}", "解除店铺 {store} 的停用"),
    "op.arb.title": ("The arbitration desk", "仲裁台"),
    "op.arb.hint": (
        "Cases the platform promised to pick up within its intervention time, the arbitrators' "
        "load, and how long rulings take (since {since}).",
        "平台承诺在介入时限内处理的案件、仲裁员的工作量，以及裁决所需时间（自 {since} 起）。",
    ),
    "op.arb.in_arbitration": ("Cases with the platform", "平台处理中的案件"),
    "op.arb.escalated": ("Awaiting intervention", "等待平台介入"),
    "op.arb.unclaimed": ("Awaiting intervention, claimed by nobody", "等待介入且无人认领"),
    "op.arb.late": ("Past the intervention promise", "已超过介入时限"),
    "op.arb.late_title": ("Cases past the intervention promise", "已超过介入时限的案件"),
    "op.arb.none_late": (
        "None: every escalated case is within the platform's intervention time.",
        "无：所有已升级的案件均在平台介入时限内。",
    ),
    "op.arb.late_by": ("Late by", "超时"),
    "op.arb.load_title": ("Arbitrators", "仲裁员"),
    "op.arb.claimed_now": ("Cases claimed now", "当前认领的案件"),
    "op.arb.rulings": ("Rulings in the last 30 days", "近 30 天的裁决"),
    "op.arb.unattributed": ("An arbitrator not recorded", "未记录的仲裁员"),
    "op.arb.times_title": (
        "Time from escalation to ruling (last 30 days)",
        "从升级到裁决的时间（近 30 天）",
    ),
    "op.arb.times_hint": (
        "The median and the 90th percentile: half the rulings came faster than the median, "
        "nine in ten faster than the 90th percentile.",
        "中位数与第 90 百分位：一半的裁决快于中位数，十分之九的裁决快于第 90 百分位。",
    ),
    "op.arb.rulings_of": ("Rulings", "裁决"),
    "op.arb.count": ("How many", "数量"),
    "op.arb.median": ("Median time to ruling", "裁决时间中位数"),
    "op.arb.p90": ("90th percentile", "第 90 百分位"),
    "op.arb.times.by_arbitrators": ("By arbitrators", "仲裁员裁决"),
    "op.arb.times.automatic": (
        "Automatic (the seller's evidence periods ran out)",
        "自动裁决（卖家举证期届满）",
    ),
    "op.arb.times.all": ("All rulings", "全部裁决"),
    "op.lines.title": ("Red lines and penalties", "红线与处罚"),
    "op.lines.hint": (
        "Every store's rates against its red lines, the lines as set (each from its instant, "
        "until a later one), and the penalties stores earned with the disputes behind them.",
        "所有店铺的指标与红线对比、已设置的红线（自生效时间起，直至被新红线取代），以及店铺受到的处罚及相关纠纷。",
    ),
    "op.lines.rates_title": ("Every store's rates", "所有店铺的指标"),
    "op.lines.lines_title": ("Red lines", "红线"),
    "op.lines.defaults": (
        "Where no line was set, the defaults hold:",
        "未设置红线时，采用默认值：",
    ),
    "op.lines.none": ("No line set yet: the defaults hold.", "尚未设置红线：采用默认值。"),
    "op.lines.metric": ("Rate", "指标"),
    "op.lines.category": ("Category", "类目"),
    "op.lines.category_hint": (
        "Empty: every category without a line of its own.",
        "留空：适用于所有没有单独红线的类目。",
    ),
    "op.lines.every_category": ("every other category", "其他所有类目"),
    "op.lines.threshold": ("Line", "红线"),
    "op.lines.threshold_percent": ("Line, in percent", "红线（百分比）"),
    "op.lines.effective": ("In force from", "生效时间"),
    "op.lines.state": ("Now", "当前"),
    "op.lines.state.in_force": ("In force", "生效中"),
    "op.lines.state.scheduled": ("Not yet in force", "尚未生效"),
    "op.lines.state.replaced": ("Replaced", "已被取代"),
    "op.lines.set_by": ("Set by", "设置人"),
    "op.lines.note": ("Note", "备注"),
    "op.lines.set": ("Set a red line", "设置红线"),
    "op.lines.set_hint": (
        "A new version of a line, in force from the instant you give (time zone {zone}).",
        "设置新版本的红线，自您填写的时间起生效（时区 {zone}）。",
    ),
    "op.penalties.title": ("Penalties", "处罚"),
    "op.penalties.none": ("No penalty yet.", "暂无处罚。"),
    "op.penalties.what": ("For", "原因"),
    "op.penalties.red_line": (
        "{metric} in {category}: {figure}, over the line of {line}",
        "{category} 的{metric}为 {figure}，超过红线 {line}",
    ),
    "op.penalties.counterfeit": (
        "A counterfeit ruled against the seller without brand authorization",
        "假货纠纷被裁定卖家责任且无品牌授权",
    ),
    "op.penalties.period": ("Period", "考核期间"),
    "op.penalties.behind": ("The disputes behind it", "相关纠纷"),
    "op.penalties.more": ("and {n} more", "另有 {n} 个"),
    "op.penalties.created": ("Recorded", "记录时间"),
    "op.policy.title": ("The policy in force", "生效的规则参数"),
    "op.policy.hint": (
        "Every number of the dispute rules as the stores' orders follow it: read only.",
        "店铺订单所遵循的纠纷规则中的所有参数：只读。",
    ),
    "op.policy.name.aliexpress": ("AliExpress rules", "速卖通规则"),
    "op.policy.orders": ("Orders that follow it: {n}", "遵循此规则的订单：{n}"),
    "op.policy.parameter": ("Parameter", "参数"),
    "op.policy.value": ("Value", "取值"),
    "op.policy.section": ("Rulebook", "规则条款"),
    "op.policy.section_n": ("Section {n}", "第 {n} 节"),
    "op.policy.default": ("default: {value}", "默认：{value}"),
    "op.policy.calendar": ("working days of {country}", "{country} 的工作日"),
    "op.policy.unknown_policy": (
        "Orders name a policy this desk does not know: their deadlines cannot be computed.",
        "有订单使用了本平台未知的规则：无法计算其期限。",
    ),
    "op.policy.destinations": ("Destinations", "目的国"),
    "op.policy.categories": ("Categories", "类目"),
    "op.policy.overrides_title": (
        "Overrides per category and destination",
        "按类目和目的国的例外设置",
    ),
    "op.policy.no_overrides": (
        "None: the rules take one whole policy per order (named on the order), the same for "
        "every category and destination.",
        "无：每个订单遵循一套完整的规则（订单上注明），所有类目和目的国相同。",
    ),
    "op.policy.what_if": (
        "Replayed scenarios and the what-if runner may override any parameter, to try a change "
        "on past cases; nothing here changes by that.",
        "回放场景与假设分析可以覆盖任意参数，用于在历史案件上试验调整；这不会改变此处的规则。",
    ),
    "op.policy.red_line_categories": (
        "What differs per category: red lines. Categories with lines of their own:",
        "按类目区分的设置：红线。设有单独红线的类目：",
    ),
    "op.policy.no_red_line_categories": (
        "What may differ per category: red lines (none set per category yet).",
        "可按类目区分的设置：红线（尚未按类目设置）。",
    ),
    "op.unit.days.one": ("{n} day", "{n} 天"),
    "op.unit.days.other": ("{n} days", "{n} 天"),
    "op.unit.working_days.one": ("{n} working day", "{n} 个工作日"),
    "op.unit.working_days.other": ("{n} working days", "{n} 个工作日"),
    "op.unit.count.one": ("{n} period", "{n} 个期间"),
    "op.unit.count.other": ("{n} periods", "{n} 个期间"),
    "op.param.platform_calendar": ("Working-day calendar", "工作日日历"),
    "op.param.max_delivery_extension_days": (
        "Delivery time extensions, at most in all",
        "延长收货时间的总上限",
    ),
    "op.param.dispute_open_after_shipment_days": (
        "A dispute can be opened from, after shipment",
        "发货后可发起纠纷的时间",
    ),
    "op.param.dispute_window_after_completion_days": (
        "A dispute can be opened until, after the order completes",
        "订单完成后可发起纠纷的期限",
    ),
    "op.param.resend_ship_days": ("Time to ship a replacement", "补发货物的期限"),
    "op.param.seller_response_days": ("Time for the seller to respond", "卖家响应期限"),
    "op.param.buyer_escalation_after_days": (
        "The buyer may ask the platform to step in after",
        "买家可申请平台介入的时间",
    ),
    "op.param.auto_escalation_after_days": (
        "Escalated automatically without agreement after",
        "未达成一致时自动升级的时间",
    ),
    "op.param.return_shipment_days": ("Time for the buyer to ship a return", "买家退货期限"),
    "op.param.return_receipt_days": (
        "Time for the seller to confirm a return's receipt",
        "卖家确认收到退货的期限",
    ),
    "op.param.platform_intervention_working_days": (
        "The platform's intervention promise",
        "平台介入时限",
    ),
    "op.param.evidence_period_days": ("One evidence period", "每个举证期"),
    "op.param.evidence_periods": ("Evidence periods", "举证期数量"),
    "op.reports.title": ("Malicious dispute reports", "恶意纠纷举报"),
    "op.reports.hint": (
        "Sellers' reports that a dispute is malicious. An upheld report leaves the dispute out "
        "of the store's metrics and counts against the buyer.",
        "卖家对恶意纠纷的举报。举报成立后，该纠纷不计入店铺指标，并计入买家的恶意记录。",
    ),
    "op.reports.pending_first": ("All, those to decide first", "全部（待处理的在前）"),
    "op.report.status.pending": ("To decide", "待处理"),
    "op.report.status.upheld": ("Upheld", "成立"),
    "op.report.status.rejected": ("Rejected", "已驳回"),
    "op.report.upheld": ("Uphold: the dispute was malicious", "成立：该纠纷为恶意纠纷"),
    "op.report.rejected": ("Reject the report", "驳回举报"),
    "op.reports.dispute": ("Dispute of order {id}", "订单 {id} 的纠纷"),
    "op.reports.reported": ("Reported", "举报"),
    "op.reports.reported_line": ("by {by}, {at}", "由 {by} 于 {at} 举报"),
    "op.reports.reason": ("Why", "理由"),
    "op.reports.evidence": ("Evidence pointed to", "所引用的证据"),
    "op.reports.decided": ("Decided", "处理"),
    "op.reports.decided_line": ("by {by}, {at}", "由 {by} 于 {at} 处理"),
    "op.reports.note": ("Note", "备注"),
    "op.reports.decision": ("Decision", "处理结果"),
    "op.reports.note_label": ("Note (required; the seller reads it)", "备注（必填；卖家可见）"),
    "op.reports.decide": ("Decide", "处理"),
    "op.flag.line": (
        "Malicious disputes upheld against this buyer: {n}",
        "该买家被判定成立的恶意纠纷：{n} 起",
    ),
    "op.flag.short": ("Buyer flagged: {n} malicious", "买家标记：恶意纠纷 {n} 起"),
    "op.flag.none": ("no upheld report against this buyer", "该买家无成立的举报"),
    "perm.denied.suspended": (
        "Store {store} is suspended by the platform ({reason}): its staff can read but not act.",
        "店铺 {store} 已被平台停用（{reason}）：成员可以查看，但不能执行操作。",
    ),
    "op.seller.suspended": (
        "Store {store} is suspended by the platform: {reason}. You can read everything, but "
        "nothing can be done for this store until the suspension is lifted.",
        "店铺 {store} 已被平台停用：{reason}。您可以查看所有内容，"
        "但在解除停用之前无法为该店铺执行任何操作。",
    ),
    "login.suspended": (
        "This account is suspended by the platform: {reason}",
        "此账户已被平台停用：{reason}",
    ),
}


def text(locale: str, key: str, **params: object) -> str:
    """The catalog's text for `key` in `locale` (English when the locale is unknown)."""
    english, chinese = _CATALOG[key]
    template = chinese if locale == "zh_CN" else english
    return template.format(**params) if params else template


def has(key: str) -> bool:
    return key in _CATALOG


def catalog() -> dict[str, tuple[str, str]]:
    return dict(_CATALOG)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def reason_text(locale: str, reason: str) -> str:
    key = f"reason.{reason}"
    return text(locale, key) if has(key) else REASONS.get(reason, reason)


# --- Babel formatting ------------------------------------------------------------------------

_DATETIME_PATTERNS = {"en": "d MMM y HH:mm", "zh_CN": "y年M月d日 HH:mm"}
_BABEL_LOCALES = {"en": "en_US", "zh_CN": "zh_CN"}


def money(amount: Decimal | None, currency: str, locale: str) -> str:
    """An amount in the order's currency, as the reader's locale writes it ("$12.50", "€8.00")."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=_BABEL_LOCALES.get(locale, "en_US"))


def instant(value: datetime | None, time_zone: str, locale: str) -> str:
    """A UTC instant in the reader's time zone: "8 Mar 2026 18:00" / "2026年3月8日 18:00"."""
    if value is None:
        return ""
    return format_datetime(
        value,
        _DATETIME_PATTERNS.get(locale, _DATETIME_PATTERNS["en"]),
        tzinfo=ZoneInfo(time_zone),
        locale=_BABEL_LOCALES.get(locale, "en_US"),
    )


def zone_label(value: datetime, time_zone: str) -> str:
    """The zone's short offset at that instant, e.g. "UTC+08:00"."""
    offset = value.astimezone(ZoneInfo(time_zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def plural(locale: str, key: str, n: int) -> str:
    """`key.one` or `key.other` as the language counts (English: one for 1; Chinese has one
    form), filled with `n`."""
    form = "one" if n == 1 and locale != "zh_CN" else "other"
    return text(locale, f"{key}.{form}", n=n)


def countdown(seconds: float, locale: str) -> str:
    """Time left as the seed's dispute page writes it ("3 days 23:12:12", "1 day 00:50:00"),
    or time past the deadline ("overdue by 12 days", "overdue by 5 hours")."""
    if seconds <= 0:
        return text(locale, "countdown.overdue", time=overdue_time(-seconds, locale))
    whole = int(seconds)
    day_count, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    form = "one" if day_count == 1 and locale != "zh_CN" else "other"
    return text(
        locale, f"countdown.left.{form}", n=day_count, c=f"{hours:02d}:{minutes:02d}:{secs:02d}"
    )


def overdue_time(seconds: float, locale: str) -> str:
    """How long past: whole days, else whole hours, else minutes (at least 1)."""
    whole = int(seconds)
    if whole >= 86400:
        return plural(locale, "unit.day", whole // 86400)
    if whole >= 3600:
        return plural(locale, "unit.hour", whole // 3600)
    return plural(locale, "unit.minute", max(1, whole // 60))


def countdown_words(locale: str) -> dict[str, str]:
    """The countdown's words for countdown.js, which ticks the same way `countdown` counts."""
    names = ("countdown.left", "unit.day", "unit.hour", "unit.minute")
    words = {"overdue": text(locale, "countdown.overdue", time="{t}")}
    for name in names:
        for form in ("one", "other"):
            english, chinese = _CATALOG[f"{name}.{form}"]
            words[f"{name.split('.')[-1]}.{form}"] = chinese if locale == "zh_CN" else english
    return words
