"""The optional questions about the respondent on the rating form: plain codes for the usual breakdowns."""
from __future__ import annotations

#: field → (question, {code: answer}); the order is the form's. No answer is ever required.
QUESTIONS = {
    "sex": ("เพศ", {"male": "ชาย", "female": "หญิง", "other": "เพศทางเลือก", "unsaid": "ไม่ประสงค์ระบุ"}),
    "age": ("อายุ", {"u20": "ต่ำกว่า 20 ปี", "20-29": "20–29 ปี", "30-39": "30–39 ปี", "40-49": "40–49 ปี",
                     "50-59": "50–59 ปี", "60+": "60 ปีขึ้นไป"}),
    "occupation": ("อาชีพ", {"farmer": "เกษตรกร", "labour": "รับจ้างทั่วไป", "trade": "ค้าขาย/ธุรกิจส่วนตัว",
                             "public": "ข้าราชการ/พนักงานของรัฐ", "private": "พนักงานบริษัทเอกชน",
                             "student": "นักเรียน/นักศึกษา", "other": "อื่น ๆ"}),
}


def respondent_answers(form) -> dict[str, str | None]:
    """Return the answers given as known codes; anything unanswered or unknown is None."""
    return {field: form.get(f"respondent_{field}") if form.get(f"respondent_{field}") in answers else None
            for field, (_question, answers) in QUESTIONS.items()}
