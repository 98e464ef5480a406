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
    "error.code": ("Error code: {code}", "错误代码：{code}"),
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
    "countdown.days": ("{days} days {clock}", "{days} 天 {clock}"),
    "countdown.over": ("0 days 00:00:00", "0 天 00:00:00"),
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
        "{text} is not an amount: digits, with at most 2 decimals.",
        "{text} 不是有效金额：只能是数字，最多 2 位小数。",
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


def countdown(seconds: float, locale: str) -> str:
    """Time left as the seed's dispute page writes it: "3 days 23:12:12"."""
    if seconds <= 0:
        return text(locale, "countdown.over")
    whole = int(seconds)
    day_count, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return text(
        locale, "countdown.days", days=day_count, clock=f"{hours:02d}:{minutes:02d}:{secs:02d}"
    )
