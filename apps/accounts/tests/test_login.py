from apps.audit.models import AuditAction, AuditEvent
from apps.core.testing.factories import TEST_PASSWORD


def test_login_and_home(client, personas):
    response = client.post("/accounts/login/", {"username": "zhou", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    response = client.get("/")
    assert response.status_code == 200
    assert "周科员" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=personas.zhou).exists()


def test_wrong_password_is_refused_in_chinese(client, personas):
    response = client.post("/accounts/login/", {"username": "zhou", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, success=False).exists()
