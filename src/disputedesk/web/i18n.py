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
