"""The staff console's words: Thai first, with an English catalogue keyed by the Thai text."""
from __future__ import annotations

from datetime import datetime

from flask import request

from staff.auth import current_user
from staff.passwords import MIN_LENGTH
from config.thai import thai_date, to_local

LANGUAGES = {"th": "ไทย", "en": "English"}
LANGUAGE_COOKIE = "staff_lang"


def current_language() -> str:
    """Return the language the console speaks to this user: their choice, else the cookie, else Thai."""
    user = current_user()
    if user is not None and user.language in LANGUAGES:
        return user.language
    chosen = request.cookies.get(LANGUAGE_COOKIE, "th")
    return chosen if chosen in LANGUAGES else "th"


def translate_to(language: str, text: str, **values) -> str:
    """Return a Thai catalogue text in a language, with {names} filled in."""
    if language == "en":
        text = EN.get(text, text)
    return text.format(**values) if values else text


def translate(text: str, **values) -> str:
    """Return a Thai catalogue text in the user's language, with {names} filled in."""
    return translate_to(current_language(), text, **values)


def datetime_in(language: str, instant: datetime | None) -> str:
    """Return a timestamp as staff read it: Buddhist-Era Thai, or ISO in Bangkok time in English."""
    if instant is None:
        return "–"
    if language == "en":
        return to_local(instant).strftime("%Y-%m-%d %H:%M")
    return thai_date(instant, with_time=True)


# The English catalogue. Every Thai text a staff template or message shows has an entry
# (tests/staff/test_i18n.py checks the templates).
EN = {
    # layout
    "ระบบจัดการเรื่องร้องเรียน": "Complaint management",
    "เรื่องร้องเรียน": "Complaints",
    "สิทธิ์เข้าถึง": "Access grants",
    "ภาพรวมผู้บริหาร": "Executive dashboard",
    "ผู้ใช้งาน": "Users",
    "บันทึกการใช้งาน": "Audit log",
    "บัญชีของฉัน": "My account",
    "ออกจากระบบ": "Sign out",
    "ภาษา": "Language",
    "รายงาน": "Reports",
    "หน้าหลัก": "Home",
    "ไม่มีสิทธิ์เข้าถึงหน้านี้": "You may not open this page",
    "บทบาทของท่านไม่อนุญาตให้เปิดหน้านี้ หากจำเป็นต้องใช้ กรุณาติดต่อผู้ดูแลระบบ":
        "Your role does not allow this page. Ask an administrator if you need it.",
    "กลับหน้าหลัก": "Back to the home page",
    "ไม่พบหน้าที่ต้องการ": "Page not found",
    "ไม่พบหน้าหรือรายการนี้ อาจถูกลบไปแล้วหรือที่อยู่ไม่ถูกต้อง": "This page or record does not exist; it may have been removed or the address is wrong.",
    "แบบฟอร์มหมดอายุ": "The form has expired",
    "แบบฟอร์มนี้หมดอายุหรือไม่สมบูรณ์ ข้อมูลยังไม่ถูกบันทึก กรุณากลับไปที่หน้าเดิม โหลดหน้าใหม่ แล้วลองอีกครั้ง":
        "This form expired or was incomplete and nothing was saved. Go back, reload the page and try again.",
    # sign-in
    "เข้าสู่ระบบเจ้าหน้าที่": "Staff sign-in",
    "ชื่อผู้ใช้": "User name",
    "รหัสผ่าน": "Password",
    "เข้าสู่ระบบ": "Sign in",
    "ยืนยันตัวตนขั้นที่สอง": "Second factor",
    "กรอกรหัส 6 หลักจากแอปยืนยันตัวตน (เช่น Google Authenticator)":
        "Enter the 6-digit code from your authenticator app (e.g. Google Authenticator)",
    "รหัสยืนยัน": "Code",
    "ยืนยัน": "Confirm",
    "ยกเลิก": "Cancel",
    "ตั้งค่าการยืนยันตัวตนสองขั้นตอน": "Set up two-step sign-in",
    "บทบาทของท่านต้องใช้การยืนยันตัวตนสองขั้นตอน สแกนคิวอาร์โค้ดนี้ด้วยแอปยืนยันตัวตน แล้วกรอกรหัส 6 หลักที่แอปแสดง":
        "Your role requires two-step sign-in. Scan this QR code with an authenticator app, then enter the 6-digit code it shows.",
    "หากสแกนไม่ได้ ให้พิมพ์รหัสนี้ในแอป": "If you cannot scan, type this key into the app",
    # account
    "เปลี่ยนรหัสผ่าน": "Change password",
    "บัญชีนี้ถูกระงับชั่วคราวเพราะใส่รหัสผิดหลายครั้ง กรุณารอ {minutes} นาที หรือติดต่อผู้ดูแลระบบ":
        "This account is locked after too many failed attempts. Wait {minutes} minutes or ask an administrator.",
    "ใส่รหัสผิดหลายครั้ง กรุณารอ {seconds} วินาทีแล้วลองใหม่": "Too many failed attempts. Wait {seconds} seconds and try again.",
    "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง": "Wrong user name or password",
    "รหัสยืนยันไม่ถูกต้องหรือหมดอายุ กรุณาใช้รหัสล่าสุดจากแอปยืนยันตัวตน":
        "Wrong or expired code. Use the latest code from your authenticator app.",
    "รหัสผ่านปัจจุบันไม่ถูกต้อง": "The current password is wrong",
    "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน": "The two new passwords differ",
    "เปิดกุญแจส่วนตัวด้วยรหัสผ่านเดิมไม่ได้ กรุณาติดต่อผู้ดูแลระบบ":
        "Your private key does not open with the old password. Ask an administrator.",
    "กรุณาเลือกบทบาทอย่างน้อยหนึ่งบทบาท": "Choose at least one role",
    "ชื่อผู้ใช้ต้องเป็นตัวอักษรอังกฤษหรือตัวเลข (ใช้ . _ - ได้)": "User names are Latin letters or digits (. _ - allowed)",
    "กรุณากรอกชื่อที่แสดง": "Please enter a display name",
    "ชื่อผู้ใช้ {username} มีอยู่แล้ว": "The user name {username} is taken",
    "ไม่สามารถถอดบทบาทผู้ดูแลระบบของตนเองได้": "You cannot remove your own administrator role",
    "ไม่สามารถปิดบัญชีของตนเองได้": "You cannot remove your own account",
    f"รหัสผ่านต้องยาวอย่างน้อย {MIN_LENGTH} ตัวอักษร": f"Passwords have at least {MIN_LENGTH} characters",
    "รหัสผ่านต้องมีทั้งตัวอักษรและตัวเลขหรือสัญลักษณ์": "Passwords mix letters with digits or symbols",
    "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบอีกครั้ง": "Your session timed out. Please sign in again.",
    "รหัสผ่านปัจจุบัน": "Current password",
    "รหัสผ่านใหม่": "New password",
    "ยืนยันรหัสผ่านใหม่": "Confirm the new password",
    "บันทึก": "Save",
    "เปลี่ยนรหัสผ่านแล้ว อุปกรณ์อื่นที่เข้าสู่ระบบไว้ถูกออกจากระบบ":
        "Password changed. Other devices were signed out.",
    "บทบาท": "Roles",
    "กุญแจสำหรับเปิดเรื่องร้องเรียน": "Complaint key",
    "มีกุญแจแล้ว": "Key pair present",
    "ยังไม่มีกุญแจ": "No key pair",
    # case desk
    "สถานะ": "Status",
    "ประเภท": "Category",
    "ช่องทาง": "Channel",
    "เดือนที่รับเรื่อง": "Month received",
    "เฉพาะที่เกินกำหนด": "Overdue only",
    "ทั้งหมด": "All",
    "กรอง": "Filter",
    "รับเรื่องเมื่อ": "Received",
    "กำหนดเสร็จ": "Due",
    "เกินกำหนด": "Overdue",
    "เปิดดู": "Open",
    "ไม่พบเรื่องร้องเรียนตามเงื่อนไขนี้": "No complaint matches these filters",
    "แสดงเฉพาะ {count} เรื่องล่าสุด กรุณาใช้ตัวกรองเพื่อดูเรื่องอื่น": "Showing the latest {count} only; filter to see others",
    "จำนวนเรื่อง": "Complaints",
    "รายละเอียดเรื่องร้องเรียน": "Complaint",
    "รายละเอียด": "Details",
    "ผู้ถูกร้องเรียน": "Official complained about",
    "สถานที่และเวลา": "Place and time",
    "ผู้ร้องเรียน": "Complainant",
    "ไม่ประสงค์ออกนาม": "Anonymous",
    "ชื่อ": "Name",
    "โทรศัพท์": "Phone",
    "อีเมล": "E-mail",
    "ขอรับแจ้งความคืบหน้าทาง LINE": "Wants updates in LINE",
    "ใช่": "Yes",
    "ไม่": "No",
    "หลักฐาน": "Evidence",
    "ไม่มีหลักฐานแนบ": "No evidence attached",
    "ดาวน์โหลด": "Download",
    "ตำแหน่งที่ตั้ง": "Location",
    "ประวัติการดำเนินการ": "History",
    "บันทึกภายใน": "Internal note",
    "คำตอบถึงผู้ร้องเรียน": "Reply to the complainant",
    "โดย": "By",
    "เปลี่ยนสถานะ": "Change status",
    "สถานะใหม่": "New status",
    "บันทึกเหตุผล (จำเป็น เห็นเฉพาะเจ้าหน้าที่)": "Reason (required, officers only)",
    "คำตอบถึงผู้ร้องเรียน (ไม่บังคับ ผู้ร้องเห็นในหน้าติดตามเรื่องและใน LINE)":
        "Reply to the complainant (optional; shown on the tracking page and in LINE)",
    "เพิ่มบันทึกภายใน": "Add an internal note",
    "ส่งคำตอบถึงผู้ร้องเรียน": "Send a reply to the complainant",
    "คำตอบที่ส่งแล้วจะแก้ไขหรือลบไม่ได้ ยืนยันการส่ง?": "A reply cannot be edited or removed once sent. Send it?",
    "ยืนยันการเปลี่ยนสถานะ?": "Change the status?",
    "ท่านยังไม่ได้รับสิทธิ์เปิดเรื่องนี้": "You have not been granted access to this complaint",
    "เรื่องนี้ถูกเข้ารหัสไว้สำหรับเจ้าหน้าที่ที่ได้รับสิทธิ์เท่านั้น ขอให้เจ้าหน้าที่ที่เปิดได้มอบสิทธิ์ให้ท่านที่หน้า “สิทธิ์เข้าถึง” หรือใช้กุญแจกู้คืนของสำนักงาน":
        "This complaint is sealed to the officers granted access. Ask an officer who can read it to grant you access on the “Access grants” page, or use the office recovery key.",
    "กุญแจของท่านไม่ได้ถูกเปิดในการเข้าสู่ระบบครั้งนี้ กรุณาออกจากระบบแล้วเข้าสู่ระบบใหม่":
        "Your key was not unlocked in this session. Sign out and sign in again.",
    "บันทึกการเปลี่ยนสถานะแล้ว": "Status changed",
    "บันทึกแล้ว": "Saved",
    "ส่งคำตอบแล้ว": "Reply sent",
    "กรุณากรอกบันทึก": "Please write a note",
    "กรุณากรอกข้อความ": "Please write a message",
    "ข้อความยาวเกินไป": "The text is too long",
    "ยังไม่มีสถานะที่เปลี่ยนไปได้": "No status change is possible",
    "เปลี่ยนสถานะจาก “{old}” เป็น “{new}” ไม่ได้": "The status cannot change from “{old}” to “{new}”",
    # grants
    "มอบสิทธิ์เปิดเรื่องร้องเรียน": "Grant access to complaints",
    "เจ้าหน้าที่ที่ยังเปิดเรื่องบางเรื่องไม่ได้ มอบสิทธิ์ได้เฉพาะเรื่องที่ท่านเปิดได้":
        "Officers who cannot open some complaints. You can grant only the complaints you can open.",
    "เจ้าหน้าที่": "Officer",
    "เรื่องที่ยังเปิดไม่ได้": "Complaints without access",
    "มอบสิทธิ์": "Grant",
    "มอบสิทธิ์ให้ {name} เปิดเรื่องร้องเรียนทั้งหมดที่ท่านเปิดได้?": "Grant {name} access to every complaint you can open?",
    "เจ้าหน้าที่ทุกคนเปิดเรื่องร้องเรียนได้ครบทุกเรื่องแล้ว": "Every officer can open every complaint",
    "มอบสิทธิ์แล้ว {count} เรื่อง": "Access granted to {count} complaints",
    "เจ้าหน้าที่คนนี้ยังไม่มีกุญแจ (จะสร้างเมื่อเข้าสู่ระบบครั้งแรก)":
        "This officer has no key pair yet (it is made at their first sign-in)",
    # admin
    "เพิ่มผู้ใช้": "Add a user",
    "ชื่อที่แสดง": "Display name",
    "รหัสผ่านเริ่มต้น": "First password",
    "สร้างบัญชี": "Create account",
    "ใช้งานอยู่": "Active",
    "ปิดบัญชีแล้ว": "Removed",
    "ถูกระงับถึง": "Locked until",
    "เข้าสู่ระบบล่าสุด": "Last sign-in",
    "จัดการ": "Manage",
    "บันทึกบทบาท": "Save roles",
    "ปลดล็อก": "Unlock",
    "ตั้งรหัสผ่านใหม่": "Reset password",
    "รีเซ็ตการยืนยันตัวตนสองขั้นตอน": "Reset two-step sign-in",
    "ปิดบัญชี": "Remove account",
    "เปิดบัญชีอีกครั้ง": "Reactivate account",
    "ปิดบัญชีนี้? ผู้ใช้จะถูกออกจากระบบ และสิทธิ์เปิดเรื่องร้องเรียนทั้งหมดจะถูกเพิกถอน":
        "Remove this account? The user is signed out and loses access to every complaint.",
    "การตั้งรหัสผ่านใหม่โดยผู้ดูแลระบบไม่สามารถกู้กุญแจเดิมของเจ้าหน้าที่ได้ เจ้าหน้าที่จะได้กุญแจใหม่และเปิดเรื่องร้องเรียนเดิมไม่ได้ จนกว่าเจ้าหน้าที่คนอื่นจะมอบสิทธิ์ให้ หรือใช้กุญแจกู้คืน (flask keys recover)":
        "An administrator's password reset cannot recover the officer's old key. The officer gets a new key and cannot open earlier complaints until another officer grants access or the recovery key is used (flask keys recover).",
    "ตั้งรหัสผ่านใหม่แล้ว": "Password reset",
    "กุญแจเดิมสูญหาย ต้องมอบสิทธิ์ใหม่": "The old key is lost: access must be granted again",
    "ปิดบัญชีแล้ว เพิกถอนสิทธิ์ {count} เรื่อง": "Account removed; access to {count} complaints revoked",
    "ข้อมูลสำนักงาน": "Office profile",
    "จุดบริการ": "Service points",
    "กอง/ฝ่าย": "Division",
    "ระยะเวลาดำเนินการ (วัน)": "Processing time (days)",
    "ประเภทเรื่องร้องเรียน": "Complaint categories",
    "แก้ไขได้ในไฟล์ข้อมูลสำนักงาน (OFFICE_PROFILE) แล้วเริ่มระบบใหม่":
        "Edit these in the office profile file (OFFICE_PROFILE) and restart",
    # audit
    "เวลา": "Time",
    "ผู้ใช้": "User",
    "การกระทำ": "Action",
    "รายการ": "Record",
    "รายละเอียดเพิ่มเติม": "Detail",
    "ตั้งแต่วันที่": "From",
    "ถึงวันที่": "To",
    "ไม่พบรายการ": "No entries",
    "หน้าถัดไป": "Next page",
    "หน้าก่อน": "Previous page",
    # dashboard
    "จำนวนเรื่องร้องเรียนตามสถานะ": "Complaints by status",
    "จำนวนเรื่องร้องเรียนรายเดือน ปีงบประมาณ {year}": "Complaints by month, fiscal year {year}",
    "เดือน": "Month",
    "รับเรื่อง": "Received",
    "ดำเนินการแล้วเสร็จ": "Completed",
    "อยู่ระหว่างดำเนินการ": "In progress",
    "รวม": "Total",
    "ปีงบประมาณ": "Fiscal year",
    "แสดงเฉพาะจำนวน ไม่มีเนื้อหาเรื่องร้องเรียน": "Counts only; no complaint content",
    # statuses and channels (models.complaint keeps the Thai labels)
    "รับเรื่องแล้ว": "Received",
    "ส่งต่อหน่วยงานที่เกี่ยวข้องแล้ว": "Forwarded to another agency",
    "ไม่อยู่ในอำนาจหน้าที่/ไม่รับไว้พิจารณา": "Not accepted",
    "เว็บไซต์": "Website",
    "ยื่นด้วยตนเอง": "In person",
    "หนังสือ": "Letter",
    "ผู้ดูแลระบบ": "Administrator",
    "เจ้าหน้าที่รับเรื่องร้องเรียน": "Complaint officer",
    "ผู้บริหาร": "Executive",
    "บุคลากร": "Staff",
    # the reports page (stats/templates/stats/staff_reports.html uses this layout and catalogue)
    "รายงานสถิติ": "Statistics reports",
    "รอบเวลา": "Period",
    "รูปแบบไฟล์": "File format",
    "สร้างและดาวน์โหลด": "Make and download",
    "ระบบนับข้อมูล ณ เวลาที่กด และเก็บไฟล์ไว้ในคลังรายงานเป็นรุ่นใหม่ ไม่เขียนทับรุ่นเดิม รายงานความพึงพอใจฉบับนี้มีข้อเสนอแนะของผู้รับบริการ ใช้ภายในเท่านั้น":
        "Counts are taken when you press the button and archived as a new version; earlier versions are kept. "
        "This satisfaction report includes citizens' suggestions: internal use only.",
    "คลังรายงาน": "Report archive",
    "ยังไม่มีรายงานในคลัง รายงานประจำเดือนจะถูกสร้างอัตโนมัติทุกวันที่ 1 ของเดือน":
        "The archive is empty. Monthly reports are made automatically on the 1st of each month.",
    "ข้อมูล ณ": "As of",
    "รุ่น": "Version",
    "ไฟล์": "File",
    # home
    "ยินดีต้อนรับ": "Welcome",
    "เลือกเมนูด้านบนเพื่อเริ่มทำงาน": "Choose a menu above to start",
    # readers (issue 10)
    "การตั้งรหัสผ่านใหม่โดยผู้ดูแลระบบไม่สามารถกู้กุญแจเดิมของเจ้าหน้าที่ได้ เจ้าหน้าที่จะได้กุญแจใหม่และเปิดเรื่องร้องเรียนไม่ได้ จนกว่าผู้อ่านเรื่องร้องเรียนคนอื่นจะรับรอง หรือใช้กุญแจกู้คืน (flask keys recover)":
        "A password set by an admin cannot recover the officer's old key. The officer gets a new key and cannot open "
        "complaints until another reader certifies them or the recovery key is used (flask keys recover)",
    "กุญแจกู้คืนของสำนักงาน": "The office recovery key",
    "ดูรายละเอียด": "See details",
    "ถอนสิทธิ์": "Revoke",
    "ถอนสิทธิ์อ่านเรื่องร้องเรียนของ {name}? ผู้อ่านทุกคนจะได้รับแจ้ง":
        "Revoke {name}'s access to complaints? Every reader will be told",
    "ท่านยังไม่ได้รับการรับรองเป็นผู้อ่าน: ขอให้ผู้อ่านคนอื่นรับรองท่านที่หน้านี้ หรือใช้กุญแจกู้คืน (flask keys recover)":
        "You are not a certified reader yet: ask another reader to certify you on this page, or use the recovery "
        "key (flask keys recover)",
    "บันทึกการรับรองและถอนผู้อ่าน": "Log of readers certified and revoked",
    "ผู้อ่านที่ได้รับรอง": "Certified reader",
    "ผู้อ่านเรื่องร้องเรียน": "Complaint readers",
    "มีการรับรองหรือถอนผู้อ่านเรื่องร้องเรียนในช่วง 7 วันที่ผ่านมา": "Complaint readers were certified or revoked in the last 7 days",
    "ยังไม่มีการรับรองหรือถอนผู้อ่าน": "No reader has been certified or revoked yet",
    "ยังไม่มีกุญแจ (จะสร้างเมื่อเข้าสู่ระบบครั้งแรก)": "No key yet (made at first sign-in)",
    "ยังไม่ได้รับรอง": "Not certified",
    "รับรองเป็นผู้อ่าน": "Certify as reader",
    "รับรองให้ {name} เป็นผู้อ่านเรื่องร้องเรียน? เขาจะเปิดเรื่องร้องเรียนทั้งหมดที่ท่านเปิดได้ และเรื่องใหม่ทุกเรื่อง ผู้อ่านทุกคนจะได้รับแจ้ง":
        "Certify {name} as a complaint reader? They will open every complaint you can open and every new one. "
        "Every reader will be told",
    "เจ้าหน้าที่จะอ่านเรื่องร้องเรียนได้เมื่อผู้อ่านคนหนึ่งหรือกุญแจกู้คืนของสำนักงานรับรองกุญแจของเขาแล้วเท่านั้น บทบาทหรือรหัสผ่านที่ผู้ดูแลระบบตั้งให้ไม่ทำให้ใครอ่านได้ การรับรองและการถอนทุกครั้งแจ้งผู้อ่านทุกคน":
        "An officer reads complaints only once a reader or the office recovery key has certified their key. Roles and "
        "passwords set by an admin make nobody a reader. Every certification and revocation is told to every reader",
    "ทำรายการนี้ไม่ได้: ต้องเป็นผู้อ่านที่ได้รับรอง และผู้ถูกถอนต้องไม่ใช่ผู้ที่รับรองท่าน (ให้ผู้อ่านคนอื่นทำ หรือใช้กุญแจกู้คืน)":
        "Not possible: you must be a certified reader, and you cannot revoke the reader who certified you (ask "
        "another reader, or use the recovery key)",
    "รับรองแล้ว และมอบสิทธิ์ {count} เรื่อง": "Certified, and {count} complaints granted",
    "ถอนสิทธิ์แล้ว (ยกเลิกสิทธิ์ {count} เรื่อง)": "Revoked ({count} complaint grants removed)",
    "มีการลองเข้าสู่ระบบจากเครื่องนี้หลายครั้งเกินไป กรุณารอ {minutes} นาทีแล้วลองใหม่":
        "Too many sign-in attempts from this device. Please wait {minutes} minutes and try again",
}
