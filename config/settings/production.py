"""Production: PostgreSQL from DATABASE_URL, HTTPS only, secrets from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured("生产环境必须设置 DJANGO_SECRET_KEY 环境变量（至少50个随机字符）。")
if not AUDIT_HMAC_KEY or AUDIT_HMAC_KEY == DEVELOPMENT_AUDIT_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "生产环境必须设置审计链密钥：AUDIT_HMAC_KEY 环境变量或 AUDIT_HMAC_KEY_FILE 指定的密钥文件"
        "（至少32字节随机值，如 openssl rand -hex 32 生成）。"
    )
if not TALK_SM4_KEY or TALK_SM4_KEY == DEVELOPMENT_TALK_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "生产环境必须设置谈心谈话加密密钥：TALK_SM4_KEY 环境变量或 TALK_SM4_KEY_FILE 指定的密钥文件"
        "（32位十六进制数，如 openssl rand -hex 16 生成），且不能使用开发密钥。"
    )
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL", "redis://127.0.0.1:6379/1"),
    }
}
LOGGING["root"]["level"] = env_str("LOG_LEVEL", "INFO")  # type: ignore[index]  # noqa: F405

# E-mail copies of reminders go through the organ's own SMTP relay on the intranet.
_SMTP_OPTIONS: dict[str, object] = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER"),
    "password": env_str("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
}
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": _SMTP_OPTIONS,  # type: ignore[dict-item]  # MAILERS is typed by the base module
    }
}
